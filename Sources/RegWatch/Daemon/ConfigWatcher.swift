import Foundation

/// Notices when feeds.toml changed on disk and loads the new version, keeping the last good one
/// when an edit does not validate.
///
/// `check()` is cheap enough for every tick: a `stat` of the file, and a read only when its
/// modification time, size or inode moved (an editor that writes a new file and renames it
/// over the old one changes the inode; `add-feed` does exactly that). A file touched without a
/// change in content is not reloaded.
public struct ConfigWatcher<Settings: Sendable>: Sendable {
    /// What `check()` found.
    public enum Change: Sendable {
        /// The file is as it was last loaded (or as it was when it last failed to load).
        case unchanged
        /// The file changed and loaded: the daemon should use these settings from now on.
        case reloaded(Settings)
        /// The file changed but does not load; the previous settings stay in force.
        case rejected(any Error)
    }

    /// The config file watched.
    public let file: URL
    private let load: @Sendable (URL) throws -> Settings
    private var stamp: Stamp?
    private var contents: Data?

    /// Loads `file` once, so that the daemon starts only with a valid config.
    ///
    /// - Parameters:
    ///   - file: feeds.toml.
    ///   - load: reads and validates the file; its errors say which line is at fault.
    /// - Returns: the watcher and the settings it loaded.
    /// - Throws: whatever `load` throws: a daemon with no valid config does not start.
    public static func start(
        file: URL, load: @escaping @Sendable (URL) throws -> Settings
    ) throws -> (ConfigWatcher, Settings) {
        var watcher = ConfigWatcher(file: file, load: load)
        let stamp = Stamp(file)
        let contents = try? Data(contentsOf: file)
        let settings = try load(file)
        watcher.stamp = stamp
        watcher.contents = contents
        return (watcher, settings)
    }

    private init(file: URL, load: @escaping @Sendable (URL) throws -> Settings) {
        self.file = file
        self.load = load
    }

    /// Reloads when the file changed since the last look.
    ///
    /// - Parameter force: reload even if the file looks unchanged (SIGHUP: the operator asked).
    public mutating func check(force: Bool = false) -> Change {
        let newStamp = Stamp(file)
        guard force || newStamp != stamp else { return .unchanged }
        stamp = newStamp
        let newContents = try? Data(contentsOf: file)
        guard force || newContents != contents else { return .unchanged }
        // Remember what failed too: a broken file is reported once, not on every tick.
        contents = newContents
        do {
            return .reloaded(try load(file))
        } catch {
            return .rejected(error)
        }
    }

    /// What `stat` says about the file; nil when it is missing.
    private struct Stamp: Equatable, Sendable {
        let modified: Date?
        let size: Int?
        let inode: Int?

        init?(_ file: URL) {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path) else { return nil }
            modified = attributes[.modificationDate] as? Date
            size = (attributes[.size] as? NSNumber)?.intValue
            inode = (attributes[.systemFileNumber] as? NSNumber)?.intValue
        }
    }
}
