import BackgroundTasks
import SwiftUI

@main
struct HexinSampleApp: App {
    @StateObject private var model = FilingModel()

    init() {
        ResumeTask.register()
        ResumeTask.schedule()
    }

    var body: some Scene {
        WindowGroup { ContentView().environmentObject(model) }
    }
}
