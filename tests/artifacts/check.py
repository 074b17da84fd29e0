"""The checks of tests/artifacts.sh, on what scripts/aar.sh and scripts/swift-package.sh wrote.

    python3 tests/artifacts/check.py maven REPO VERSION      # the AAR, its POM, the Maven layout
    python3 tests/artifacts/check.py xcframework OUT          # the XCFramework, its zip, the package
    python3 tests/artifacts/check.py jdk-library JMOD OUT.jar # java.base for ProGuard 6.2.2

Each check raises (exit 1) with what differs; nothing is printed when all hold.
"""
import hashlib
import io
import plistlib
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

ABIS = ["arm64-v8a", "armeabi-v7a", "x86_64"]
ANDROID = "{http://schemas.android.com/apk/res/android}"
POM = "{http://maven.apache.org/POM/4.0.0}"
ROOT = Path(__file__).resolve().parents[2]


def expect(condition, message):
    if not condition:
        raise SystemExit(f"artifacts: {message}")


def checksums(path):
    """Each file's .md5, .sha1 and .sha256 beside it hold its digest."""
    data = path.read_bytes()
    for name in ["md5", "sha1", "sha256"]:
        written = Path(f"{path}.{name}").read_text().strip()
        expect(written == hashlib.new(name, data).hexdigest(), f"{path}.{name} is not the file's {name}")


def maven(repo, version):
    base = Path(repo) / "org/hexin/hexin-android"
    aar = base / version / f"hexin-android-{version}.aar"
    pom = base / version / f"hexin-android-{version}.pom"

    with zipfile.ZipFile(aar) as z:
        names = sorted(z.namelist())
        want = sorted(["AndroidManifest.xml", "classes.jar", "R.txt", "proguard.txt"] +
                      [f"jni/{abi}/libhexin_ffi.so" for abi in ABIS])
        expect(names == want, f"{aar.name} holds {names}, not {want}")
        manifest = ET.fromstring(z.read("AndroidManifest.xml"))
        expect(manifest.get("package") == "org.hexin", "the manifest's package is not org.hexin")
        expect(manifest.find("uses-sdk").get(f"{ANDROID}minSdkVersion") == "26", "minSdkVersion is not 26")
        expect(z.read("R.txt") == b"", "R.txt is not empty")
        rules = z.read("proguard.txt").decode()
        expect(rules == (ROOT / "android/consumer-rules.pro").read_text(),
               "proguard.txt is not android/consumer-rules.pro")
        for rule in ["-keep class com.sun.jna.** { *; }", "native <methods>;",
                     "-keep class * implements com.sun.jna.Callback { *; }",
                     "-keepclassmembers class * extends com.sun.jna.Structure {"]:
            expect(rule in rules, f"proguard.txt lacks {rule}")
        for abi in ABIS:
            expect(z.read(f"jni/{abi}/libhexin_ffi.so")[:4] == b"\x7fELF", f"jni/{abi}/libhexin_ffi.so is not ELF")
        with zipfile.ZipFile(io.BytesIO(z.read("classes.jar"))) as classes:
            for cls in ["org/hexin/Outbox.class", "org/hexin/Draft.class", "org/hexin/Uploader.class",
                        "org/hexin/core/Listener.class"]:
                expect(cls in classes.namelist(), f"classes.jar lacks {cls}")

    project = ET.parse(pom).getroot()
    coordinates = [project.findtext(f"{POM}{tag}") for tag in ["groupId", "artifactId", "version", "packaging"]]
    expect(coordinates == ["org.hexin", "hexin-android", version, "aar"], f"the POM's coordinates are {coordinates}")
    dependencies = {(d.findtext(f"{POM}groupId"), d.findtext(f"{POM}artifactId")): d
                    for d in project.iter(f"{POM}dependency")}
    expect(set(dependencies) == {("net.java.dev.jna", "jna"), ("org.jetbrains.kotlinx", "kotlinx-coroutines-android")},
           f"the POM's dependencies are {sorted(dependencies)}")
    jna = dependencies[("net.java.dev.jna", "jna")]
    expect(jna.findtext(f"{POM}type") == "aar", "JNA is not the AAR")
    expect(re.fullmatch(r"5\.\d+\.\d+", jna.findtext(f"{POM}version") or ""), "JNA is not 5.x")

    metadata = ET.parse(base / "maven-metadata.xml").getroot()
    expect([metadata.findtext("groupId"), metadata.findtext("artifactId")] == ["org.hexin", "hexin-android"],
           "maven-metadata.xml names another artifact")
    expect(metadata.findtext("versioning/release") == version, "maven-metadata.xml's release is not this version")
    expect(version in [v.text for v in metadata.iter("version")], "maven-metadata.xml does not list this version")
    for path in [aar, pom, base / "maven-metadata.xml"]:
        checksums(path)

    # The sample's Gradle build depends on this version from the repository scripts/android.sh writes.
    gradle = (ROOT / "android-sample/app/build.gradle.kts").read_text()
    expect(f'implementation("org.hexin:hexin-android:{version}")' in gradle,
           f"android-sample/app/build.gradle.kts does not depend on org.hexin:hexin-android:{version}")
    expect('settingsDir.resolve("../target/maven")' in (ROOT / "android-sample/settings.gradle.kts").read_text(),
           "android-sample/settings.gradle.kts does not list target/maven")


def xcframework(out):
    out = Path(out)
    framework = out / "HexinFFI.xcframework"
    info = plistlib.loads((framework / "Info.plist").read_bytes())
    expect(info["CFBundlePackageType"] == "XFWK" and info["XCFrameworkFormatVersion"] == "1.0",
           "Info.plist is not an XCFramework's")
    libraries = {lib["LibraryIdentifier"]: lib for lib in info["AvailableLibraries"]}
    expect(sorted(libraries) == ["ios-arm64", "ios-arm64_x86_64-simulator"], f"the libraries are {sorted(libraries)}")
    expect(libraries["ios-arm64"]["SupportedArchitectures"] == ["arm64"], "the device library is not arm64")
    expect("SupportedPlatformVariant" not in libraries["ios-arm64"], "the device library has a platform variant")
    simulator = libraries["ios-arm64_x86_64-simulator"]
    expect(simulator["SupportedArchitectures"] == ["arm64", "x86_64"] and simulator["SupportedPlatformVariant"] == "simulator",
           "the simulator library is not arm64 + x86_64 for the simulator")
    headers = ["hexinFFI.h", "hexin_coreFFI.h", "module.modulemap"]
    for identifier, lib in libraries.items():
        expect(lib["SupportedPlatform"] == "ios", f"{identifier} is not for iOS")
        expect((framework / identifier / lib["LibraryPath"]).read_bytes()[:8] == b"!<arch>\n",
               f"{identifier}/{lib['LibraryPath']} is not a static library")
        folder = framework / identifier / lib["HeadersPath"]
        expect(sorted(p.name for p in folder.iterdir()) == ["HexinFFI"], f"{identifier}'s headers are not in HexinFFI/ alone")
        expect(sorted(p.name for p in (folder / "HexinFFI").iterdir()) == headers, f"{identifier}'s HexinFFI/ is not {headers}")
        modules = re.findall(r"module (\w+)", (folder / "HexinFFI/module.modulemap").read_text())
        expect(sorted(modules) == ["hexinFFI", "hexin_coreFFI"], f"{identifier}'s module map declares {modules}")

    with zipfile.ZipFile(out / "HexinFFI.xcframework.zip") as z:
        files = sorted(n for n in z.namelist() if not n.endswith("/"))
    on_disk = sorted(str(p.relative_to(out)) for p in framework.rglob("*") if p.is_file())
    expect(files == on_disk, "the zip does not hold exactly the XCFramework")


def jdk_library(jmod, out):
    """java.base's classes with their class file version lowered to Java 13's (57), the newest
    ProGuard 6.2.2 reads. ProGuard only reads them to know the library's classes and methods."""
    data = Path(jmod).read_bytes()
    expect(data[:4] == b"JM\x01\x00", f"{jmod} is not a jmod file")
    with zipfile.ZipFile(io.BytesIO(data[4:])) as z, zipfile.ZipFile(out, "w") as jar:
        for name in z.namelist():
            if name.startswith("classes/") and name.endswith(".class") and not name.endswith("module-info.class"):
                cls = bytearray(z.read(name))
                if int.from_bytes(cls[6:8], "big") > 57:
                    cls[6:8] = (57).to_bytes(2, "big")
                jar.writestr(name[len("classes/"):], bytes(cls))


if __name__ == "__main__":
    commands = {"maven": maven, "xcframework": xcframework, "jdk-library": jdk_library}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        raise SystemExit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
