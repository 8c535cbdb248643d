import Foundation

/// Writing a rendered digest to disk so that a reader (a sync tool, `sendmail`, a person
/// opening the folder) never sees half a file: write a temporary file beside the target,
/// flush it, then rename it over the target.
public enum DigestFile {
    /// Writes `contents` to `url` atomically, creating its folder if needed. A target that
    /// exists and is not a regular file (`/dev/null`, a FIFO, `/dev/stdout`) is written in place:
    /// renaming over it would replace the device with a file.
    ///
    /// - Throws: ``DigestFileError`` naming the file and what to check.
    public static func write(_ contents: String, to url: URL) throws {
        if let type = try? FileManager.default.attributesOfItem(atPath: url.path)[.type] as? FileAttributeType,
            type != .typeRegular, type != .typeDirectory
        {
            do {
                let handle = try FileHandle(forWritingTo: url)
                defer { try? handle.close() }
                try handle.write(contentsOf: Data(contents.utf8))
                return
            } catch {
                throw DigestFileError(path: url.path, reason: Self.reason(error))
            }
        }
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission)
            }
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: Data(contents.utf8))
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, url.path) != 0 {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw DigestFileError(path: url.path, reason: Self.reason(error))
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        if let cocoa = error as? CocoaError, let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? POSIXError {
            return String(cString: strerror(underlying.code.rawValue))
        }
        return (error as NSError).localizedDescription
    }
}

/// A digest file that could not be written.
public struct DigestFileError: ActionableError {
    /// The file.
    public let path: String
    /// Why, as the system says it.
    public let reason: String

    /// The disk or a permission: the run failed, not the input.
    public var kind: FailureKind { .runtime }

    /// One line: the English of ``wording`` (RegWatch/Messages/).
    public var description: String { wording.english }
}
