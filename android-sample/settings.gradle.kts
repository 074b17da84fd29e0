pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
        // hexin's AAR from this checkout: `bash scripts/android.sh` writes this Maven repository.
        // An app depending on a published release lists that repository instead.
        maven {
            url = uri(settingsDir.resolve("../target/maven"))
            content { includeGroup("org.hexin") }
        }
    }
}
rootProject.name = "hexin-sample"
include(":app")
