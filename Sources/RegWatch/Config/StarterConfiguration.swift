import Foundation

/// The feeds.toml `watchctl init` writes for someone who has the binary but not the repository.
///
/// Its text is the repository's feeds.toml, embedded at build time (Starter/feeds.toml is a
/// link to it, declared `.embedInCode` in Package.swift): one list of shipped sources, never
/// a second copy to keep in step. Its paths (`state/regwatch.sqlite`, `digests`) are relative,
/// and relative paths resolve against the config file's folder, so the file works wherever it
/// is written.
public enum StarterConfiguration {
    /// The name of the file written: the name the config lookup tries in the current folder.
    public static let fileName = "feeds.toml"

    /// The text written: a first line saying where it comes from, then the shipped feeds.toml.
    public static var text: String {
        "# Written by `watchctl init` (regwatch \(RegWatchVersion.current)): the shipped sources, yours to edit.\n"
            + String(decoding: PackageResources.feeds_toml, as: UTF8.self)
    }

    /// Writes ``text`` as `folder/feeds.toml`, creating `folder` if needed.
    ///
    /// The file appears whole or not at all (written beside, synced, then linked or renamed in
    /// place). Without `overwrite`, an existing feeds.toml is never replaced, even one created
    /// while this runs.
    /// - Returns: the file written.
    /// - Throws: ``StarterConfigurationError``: `.exists` (bad input) when the file is there and
    ///   `overwrite` is false, `.cannotWrite` (runtime) when the folder or file cannot be written.
    @discardableResult
    public static func write(into folder: URL, overwrite: Bool) throws(StarterConfigurationError) -> URL {
        let folder = folder.standardizedFileURL
        let file = folder.appendingPathComponent(fileName)
        func failure(_ reason: String) -> StarterConfigurationError {
            StarterConfigurationError(file: file, problem: .cannotWrite(reason))
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw StarterConfigurationError(file: file, problem: .notAFolder)
        }
        if !overwrite, FileManager.default.fileExists(atPath: file.path) {
            throw StarterConfigurationError(file: file, problem: .exists)
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw failure(Self.reason(error))
        }
        let temporary = folder.appendingPathComponent(".\(fileName).init-\(getpid())")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(String(cString: strerror(errno))) }
        let bytes = Array(text.utf8)
        var written = 0
        var writeError: Int32 = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                writeError = errno
                break
            }
            written += count
        }
        if writeError == 0, fsync(descriptor) != 0 { writeError = errno }
        close(descriptor)
        defer { unlink(temporary.path) }
        guard writeError == 0 else { throw failure(String(cString: strerror(writeError))) }
        // link() fails if the name exists: no overwrite, even of a file made a moment ago.
        if overwrite ? rename(temporary.path, file.path) != 0 : link(temporary.path, file.path) != 0 {
            if errno == EEXIST { throw StarterConfigurationError(file: file, problem: .exists) }
            throw failure(String(cString: strerror(errno)))
        }
        return file
    }

    private static func reason(_ error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let underlying, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return (error as NSError).localizedDescription
    }
}

/// Why `watchctl init` wrote nothing.
public struct StarterConfigurationError: ActionableError, Equatable {
    /// What stopped it.
    public enum Problem: Sendable, Equatable {
        /// A feeds.toml is already there: it is somebody's configuration.
        case exists
        /// The folder named is a file.
        case notAFolder
        /// The folder or the file could not be written (the system's reason).
        case cannotWrite(String)
    }

    /// The feeds.toml that was to be written.
    public var file: URL
    /// What stopped it.
    public var problem: Problem

    /// An existing file or a folder that is a file is the user's input (exit 2); a write that
    /// failed is the run's (exit 1).
    public var kind: FailureKind {
        switch problem {
        case .exists, .notAFolder: return .badInput
        case .cannotWrite: return .runtime
        }
    }

    /// One line: the English of ``wording`` (RegWatch/Messages/).
    public var description: String { wording.english }
}
