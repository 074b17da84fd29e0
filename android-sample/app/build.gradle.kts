plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

android {
    namespace = "org.hexin.sample.android"
    compileSdk = 35
    defaultConfig {
        applicationId = "org.hexin.sample"
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        // The tus endpoint the sample uploads to; 10.0.2.2 is the host machine from the emulator.
        buildConfigField("String", "HEXIN_ENDPOINT", "\"http://10.0.2.2:1080/files/\"")
    }
    buildFeatures {
        compose = true
        buildConfig = true
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
    // The flow: plain Kotlin, tested headlessly by tests/kotlin.
    sourceSets["main"].kotlin.srcDirs("src/main/kotlin", "../logic/src/main/kotlin")
}

dependencies {
    // hexin: the Kotlin API, libhexin_ffi.so for each ABI and the R8 rules it needs; it brings
    // JNA's AAR and kotlinx-coroutines-android (settings.gradle.kts names the repository).
    implementation("org.hexin:hexin-android:0.1.0")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.9.0")
    implementation("androidx.activity:activity-compose:1.9.3")
    implementation("androidx.lifecycle:lifecycle-viewmodel-compose:2.8.7")
    implementation(platform("androidx.compose:compose-bom:2024.12.01"))
    implementation("androidx.compose.material3:material3")
    implementation("androidx.compose.ui:ui")
    implementation("androidx.camera:camera-camera2:1.4.1")
    implementation("androidx.camera:camera-lifecycle:1.4.1")
    implementation("androidx.camera:camera-view:1.4.1")
    implementation("androidx.work:work-runtime-ktx:2.10.0")
}
