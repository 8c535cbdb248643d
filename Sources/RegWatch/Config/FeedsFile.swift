import Foundation

/// Edits the `[[feeds]]` tables of a feeds.toml in place, keeping every other byte as it was
/// (comments, blank lines, key order, the user's formatting).
///
/// Each edit re-reads the file first (a daemon or another command may have changed it), holds
/// an advisory lock on `feeds.toml.lock` beside it so two edits cannot lose each other's
/// change, and writes a temporary file in the same folder that is then renamed over the
/// original: a crash leaves either the old file or the new one, never half of one.
public struct FeedsFile: Sendable {
    /// The feeds.toml being edited.
    public let file: URL

    /// Edits `file`.
    public init(file: URL) {
        self.file = file
    }

    /// Appends a `[[feeds]]` table at the end of the file.
    ///
    /// - Throws: ``FeedsFileError`` if the feed is already listed (same ``FeedURL/normalized``
    ///   form: trailing slash, scheme/host case and default port do not make a new feed), or
    ///   the file cannot be read or written.
    /// - Parameter comment: lines written as `# …` comments just above the table (how a page
    ///   recipe was found and how to tune it).
    public func append(feed: FeedEntry, comment: [String] = []) throws {
        try withLock {
            var text = try read()
            if let existing = Self.feedTables(in: text).first(where: { $0.url?.isSameFeed(as: feed.url) == true }) {
                throw FeedsFileError(
                    file: file.path, line: existing.headerLine,
                    reason: .duplicate(existing.url?.rawValue ?? feed.url.rawValue))
            }
            if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
            if !text.isEmpty && !text.hasSuffix("\n\n") { text += "\n" }
            for line in comment { text += "# \(line)\n" }
            text += Self.render(feed)
            try write(text)
        }
    }

    /// Removes the `[[feeds]]` table of `url` (compared by normalized form). The comment lines
    /// above it are the user's words and stay; the table's own lines go (from its header to its
    /// last key, comments between its keys included), and one blank line before it.
    ///
    /// - Returns: the URL as it was written in the file.
    /// - Throws: ``FeedsFileError`` if no table has this URL, or on read/write failure.
    @discardableResult
    public func remove(url: FeedURL) throws -> FeedURL {
        try withLock {
            let text = try read()
            guard let table = Self.feedTables(in: text).first(where: { $0.url?.isSameFeed(as: url) == true }) else {
                throw FeedsFileError(file: file.path, line: nil, reason: .notFound(url.rawValue))
            }
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var start = table.headerLine - 1
            let end = table.lastLine - 1
            // Two blank lines would meet where the table was: keep one.
            func isBlank(_ i: Int) -> Bool { lines[i].trimmingCharacters(in: .whitespaces).isEmpty }
            if start > 0, isBlank(start - 1), end + 1 >= lines.count || isBlank(end + 1) {
                start -= 1
            }
            lines.removeSubrange(start...end)
            try write(lines.joined(separator: "\n"))
            return table.url ?? url
        }
    }

    /// The `[[feeds]]` table regwatch writes for `feed`: only the keys that differ from the defaults.
    public static func render(_ feed: FeedEntry) -> String {
        var out = "[[feeds]]\nurl = \(tomlString(feed.url.rawValue))\n"
        if feed.kind != .feed { out += "kind = \(tomlString(feed.kind.name))\n" }
        if let name = feed.name { out += "name = \(tomlString(name))\n" }
        switch feed.kind {
        case .feed:
            if let title = feed.title { out += "title = \(tomlString(title))\n" }
        case .page(let recipe):
            for (key, expression) in recipe?.expressions ?? [] { out += "\(key) = \(tomlString(expression))\n" }
        case .change(let watch):
            if let title = feed.title { out += "title = \(tomlString(title))\n" }
            if let region = watch.region { out += "region = \(tomlString(region))\n" }
            if !watch.ignore.isEmpty {
                out += "ignore = [" + watch.ignore.map(tomlString).joined(separator: ", ") + "]\n"
            }
        }
        if !feed.topics.isEmpty {
            out += "topics = [" + feed.topics.map { tomlString($0.rawValue) }.joined(separator: ", ") + "]\n"
        }
        if let interval = feed.interval { out += "interval = \(tomlString(Interval(interval).description))\n" }
        if feed.weight != 1.0 { out += "weight = \(feed.weight)\n" }
        if !feed.enabled { out += "enabled = false\n" }
        return out
    }

    /// A TOML basic string: quotes, backslashes and control characters escaped.
    static func tomlString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += String(format: "\\u%04X", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    // MARK: finding tables

    /// A `[[feeds]]` table's place in the text.
    struct FeedTable {
        var headerLine: Int
        /// The last line holding one of its keys (1-based).
        var lastLine: Int
        var url: FeedURL?
    }

    /// Every `[[feeds]]` table with its line span and URL, read from the text itself so that a
    /// file with an unrelated error elsewhere can still be edited.
    static func feedTables(in text: String) -> [FeedTable] {
        let map = TOMLSourceMap(text: text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let headers = map.allHeaderLines
        var tables: [FeedTable] = []
        for (index, header) in (map.arrayHeaderLines["feeds"] ?? []).enumerated() {
            let path = TOMLSourceMap.TablePath(name: "feeds", index: index)
            let keys = map.keyLinesOf(path)
            let nextHeader = headers.first { $0 > header } ?? (lines.count + 1)
            // The table ends at its last key's value: the last non-blank, non-comment line
            // before the next header.
            var last = header
            if let firstKey = keys.values.min(), firstKey > header {
                last = firstKey
                var line = nextHeader - 1
                while line > header {
                    let content = lines[line - 1].trimmingCharacters(in: .whitespaces)
                    if !content.isEmpty && !content.hasPrefix("#") { last = line; break }
                    line -= 1
                }
            }
            var url: FeedURL? = nil
            if let urlLine = keys["url"] {
                url = Self.stringValue(of: lines[urlLine - 1]).flatMap(FeedURL.init)
            }
            tables.append(FeedTable(headerLine: header, lastLine: last, url: url))
        }
        return tables
    }

    /// The string on the right of `key = "…"` (basic or literal string, escapes kept simple).
    private static func stringValue(of line: Substring) -> String? {
        guard let equals = line.firstIndex(of: "=") else { return nil }
        let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard let quote = value.first, quote == "\"" || quote == "'" else { return nil }
        var result = ""
        var iterator = value.dropFirst().makeIterator()
        while let c = iterator.next() {
            if c == quote { return result }
            if quote == "\"" && c == "\\" {
                guard let next = iterator.next() else { return nil }
                switch next {
                case "n": result.append("\n")
                case "t": result.append("\t")
                default: result.append(next)
                }
            } else {
                result.append(c)
            }
        }
        return nil
    }

    // MARK: file access

    private func read() throws -> String {
        do {
            let data = try Data(contentsOf: file)
            guard let text = String(data: data, encoding: .utf8) else {
                throw FeedsFileError(file: file.path, line: nil, reason: .unreadable("not UTF-8 text"))
            }
            return text
        } catch let error as FeedsFileError {
            throw error
        } catch {
            throw FeedsFileError(file: file.path, line: nil, reason: .unreadable(Self.reason(error)))
        }
    }

    /// Write-to-temp, flush, rename: readers see the old or the new file, never a mix.
    private func write(_ text: String) throws {
        let folder = file.deletingLastPathComponent()
        let temp = folder.appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp")
        do {
            let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
            guard FileManager.default.createFile(atPath: temp.path, contents: nil, attributes: nil) else {
                throw FeedsFileError(file: file.path, line: nil, reason: .unwritable("cannot create \(temp.path)"))
            }
            let handle = try FileHandle(forWritingTo: temp)
            try handle.write(contentsOf: Data(text.utf8))
            try handle.synchronize()
            try handle.close()
            if let permissions = attributes?[.posixPermissions] {
                try? FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: temp.path)
            }
            guard rename(temp.path, file.path) == 0 else {
                throw FeedsFileError(
                    file: file.path, line: nil, reason: .unwritable(String(cString: strerror(errno))))
            }
        } catch let error as FeedsFileError {
            try? FileManager.default.removeItem(at: temp)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw FeedsFileError(file: file.path, line: nil, reason: .unwritable(Self.reason(error)))
        }
    }

    /// Serialises edits of the same file across processes (`add-feed` while `import-opml` runs).
    private func withLock<T>(_ body: () throws -> T) throws -> T {
        let lockPath = file.path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        // A read-only folder still allows reading; the write will then report the real problem.
        guard fd >= 0 else { return try body() }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    private static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}

/// Why feeds.toml could not be edited.
public struct FeedsFileError: ActionableError, Equatable {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        /// The feed is already listed (its URL as written in the file).
        case duplicate(String)
        /// No `[[feeds]]` table has this URL.
        case notFound(String)
        /// The file could not be read.
        case unreadable(String)
        /// The file could not be written.
        case unwritable(String)
    }

    /// The feeds.toml path.
    public var file: String
    /// The line at fault, when there is one.
    public var line: Int?
    /// What went wrong.
    public var reason: Reason

    /// A duplicate or a missing feed is the user's input (exit 2); I/O is a runtime failure.
    public var kind: FailureKind {
        switch reason {
        case .duplicate, .notFound: return .badInput
        case .unreadable, .unwritable: return .runtime
        }
    }

    /// One line: the English of ``wording`` (RegWatch/Messages/).
    public var description: String { wording.english }
}
