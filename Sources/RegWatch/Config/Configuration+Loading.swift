import Foundation
import FeedParser
import TOMLKit

extension Configuration {
    /// Reads and validates a feeds.toml.
    ///
    /// Relative paths (`storage.database`, `digest.output_dir`) resolve against the file's folder.
    /// - Parameter file: the config file.
    /// - Throws: ``ConfigurationError`` listing every problem found, each with file and line;
    ///   also when the file is missing or unreadable.
    public static func load(from file: URL) throws -> Configuration {
        let displayName = file.path
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            let reason =
                FileManager.default.fileExists(atPath: file.path)
                ? Wording.configUnreadable : missingFileMessage(file)
            throw ConfigurationError(problems: [.init(file: displayName, line: nil, message: reason)])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(problems: [
                .init(file: displayName, line: nil, message: .configNotUTF8)
            ])
        }
        return try parse(text, file: file.standardizedFileURL, displayName: displayName)
    }

    /// What to say of a config file that does not exist: the path was given (`--config`,
    /// `$REGWATCH_CONFIG`, or a caller), so the fix is the path or a file there, which
    /// `watchctl init` writes.
    static func missingFileMessage(
        _ file: URL, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Wording {
        let folder = file.deletingLastPathComponent().path
        var named = false
        if let variable = environment["REGWATCH_CONFIG"], !variable.isEmpty,
            URL(fileURLWithPath: (variable as NSString).expandingTildeInPath).standardizedFileURL.path
                == file.standardizedFileURL.path
        {
            named = true
        }
        let initCommand = "watchctl init \(folder.contains(" ") ? "'\(folder)'" : folder)"
        return .configMissing(
            namedByEnvironment: named, initCommand: initCommand,
            starterHere: file.lastPathComponent == StarterConfiguration.fileName)
    }

    /// Parses the text of a feeds.toml.
    ///
    /// - Parameters:
    ///   - text: the TOML document.
    ///   - file: where it comes from; relative paths resolve against its folder (the current
    ///     directory when `nil`).
    ///   - displayName: how errors name the file (`feeds.toml`).
    /// - Throws: ``ConfigurationError`` listing every problem found.
    public static func parse(_ text: String, file: URL? = nil, displayName: String = "feeds.toml") throws
        -> Configuration
    {
        var reader = ConfigurationReader(text: text, displayName: displayName)
        let config = reader.read(file: file)
        if !reader.problems.isEmpty {
            throw ConfigurationError(
                problems: reader.problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
        }
        return config!
    }
}

/// Walks the TOML tree key by key, collecting problems instead of stopping at the first.
private struct ConfigurationReader {
    typealias Path = TOMLSourceMap.TablePath

    let text: String
    let displayName: String
    let map: TOMLSourceMap
    var problems: [ConfigurationError.Problem] = []

    init(text: String, displayName: String) {
        self.text = text
        self.displayName = displayName
        self.map = TOMLSourceMap(text: text)
    }

    static let sections = ["storage", "fetch", "digest", "email", "topics", "feeds", "deliver"]

    mutating func read(file: URL?) -> Configuration? {
        guard map.malformedHeaders.isEmpty else {
            for (line, header) in map.malformedHeaders {
                problems.append(
                    .init(
                        file: displayName, line: line,
                        message: .tomlBadHeader(header)))
            }
            return nil
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            problems.append(
                .init(
                    file: displayName, line: error.source.begin.line,
                    message: .tomlSyntax(error.description)))
            return nil
        } catch {
            problems.append(.init(file: displayName, line: nil, message: .tomlSyntax("\(error)")))
            return nil
        }
        var config = Configuration(file: file)
        let base =
            file?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        config.storage.database = base.appendingPathComponent("state/regwatch.sqlite")
        config.digest.outputDirectory = base.appendingPathComponent("digests", isDirectory: true)

        let rootPath = Path(name: "", index: nil)
        checkKeys(root, allowed: Self.sections, in: rootPath, label: "top level", isRoot: true)

        if let storage = table(root, "storage") {
            let path = Path(name: "storage", index: nil)
            checkKeys(storage, allowed: ["database"], in: path, label: "[storage]")
            if let database = string(storage, "database", in: path, label: "[storage]") {
                if database.isEmpty {
                    problem(at: path, key: "database", .mustNotBeEmpty("[storage]", "database"))
                } else {
                    config.storage.database = resolve(database, against: base, isDirectory: false)
                }
            }
        }
        if let fetch = table(root, "fetch") { readFetch(fetch, into: &config.fetch) }
        if let digest = table(root, "digest") { readDigest(digest, into: &config.digest, base: base) }
        if let email = table(root, "email") { config.email = readEmail(email) }
        config.topics = readTopics(root)
        config.feeds = readFeeds(root, topics: Set(config.topics.map(\.id)))
        config.deliver = readDeliver(root, hasEmail: config.email != nil)
        return config
    }

    // MARK: sections

    mutating func readFetch(_ t: TOMLTable, into fetch: inout Configuration.Fetch) {
        let path = Path(name: "fetch", index: nil)
        let label = "[fetch]"
        checkKeys(
            t,
            allowed: ["concurrency", "per_host", "timeout", "max_bytes", "default_interval", "allow_private_networks"],
            in: path, label: label)
        if let v = positiveInt(t, "concurrency", in: path, label: label, max: 1024) { fetch.concurrency = v }
        if let v = positiveInt(t, "per_host", in: path, label: label, max: 1024) { fetch.perHost = v }
        if let v = interval(t, "timeout", in: path, label: label) { fetch.timeout = v }
        if let v = byteSize(t, "max_bytes", in: path, label: label) { fetch.maxBytes = v }
        if let v = interval(t, "default_interval", in: path, label: label) { fetch.defaultInterval = v }
        if let v = bool(t, "allow_private_networks", in: path, label: label) { fetch.allowPrivateNetworks = v }
    }

    mutating func readDigest(_ t: TOMLTable, into digest: inout Configuration.Digest, base: URL) {
        let path = Path(name: "digest", index: nil)
        let label = "[digest]"
        checkKeys(
            t, allowed: ["time_zone", "reading_minutes", "words_per_minute", "language", "output_dir"],
            in: path, label: label)
        if let name = string(t, "time_zone", in: path, label: label) {
            if let zone = TimeZone(identifier: name) {
                digest.timeZone = zone
            } else {
                problem(at: path, key: "time_zone", .notTimeZone(label, quoted(name)))
            }
        }
        if let v = positiveInt(t, "reading_minutes", in: path, label: label, max: 600) { digest.readingMinutes = v }
        if let v = positiveInt(t, "words_per_minute", in: path, label: label, max: 10_000) { digest.wordsPerMinute = v }
        if let name = string(t, "language", in: path, label: label) {
            if let language = Configuration.Language(rawValue: name) {
                digest.language = language
            } else {
                problem(at: path, key: "language", .languageNotSupported(label, quoted(name)))
            }
        }
        if let dir = string(t, "output_dir", in: path, label: label) {
            if dir.isEmpty {
                problem(at: path, key: "output_dir", .mustNotBeEmpty(label, "output_dir"))
            } else {
                digest.outputDirectory = resolve(dir, against: base, isDirectory: true)
            }
        }
    }

    mutating func readEmail(_ t: TOMLTable) -> Configuration.Email? {
        let path = Path(name: "email", index: nil)
        let label = "[email]"
        checkKeys(t, allowed: ["from", "to", "smtp_url"], in: path, label: label)
        var ok = true
        let from = string(t, "from", in: path, label: label)
        if from == nil {
            if t["from"] == nil { problem(at: path, key: nil, .missing(label, "from", .senderAddress)) }
            ok = false
        } else if let from, !isPlausibleAddress(from) {
            problem(at: path, key: "from", .notEmailAddress(label, "from", quoted(from)))
            ok = false
        }
        var to: [String] = []
        if t["to"] == nil {
            problem(at: path, key: nil, .missing(label, "to", .recipientList))
            ok = false
        } else if let list = stringArray(t, "to", in: path, label: label) {
            if list.isEmpty {
                problem(at: path, key: "to", .needsAnAddress(label))
                ok = false
            }
            for address in list where !isPlausibleAddress(address) {
                problem(at: path, key: "to", .notEmailAddress(label, "to", quoted(address)))
                ok = false
            }
            to = list
        } else {
            ok = false
        }
        var smtp: URL? = nil
        if let raw = string(t, "smtp_url", in: path, label: label) {
            if let url = URL(string: raw), let scheme = url.scheme?.lowercased(),
                scheme == "smtp" || scheme == "smtps", url.host?.isEmpty == false
            {
                smtp = url
            } else {
                problem(at: path, key: "smtp_url", .notSMTPURL(label, quoted(raw)))
                ok = false
            }
        } else if t["smtp_url"] == nil {
            problem(at: path, key: nil, .missing(label, "smtp_url", .example("\"smtp://127.0.0.1:25\"")))
            ok = false
        } else {
            ok = false
        }
        guard ok, let from, let smtp else { return nil }
        return Configuration.Email(from: from, to: to, smtpURL: smtp)
    }

    mutating func readTopics(_ root: TOMLTable) -> [Topic] {
        var topics = Topic.builtIn
        guard let tables = arrayOfTables(root, "topics") else { return topics }
        let builtInIDs = Set(Topic.builtIn.map(\.id))
        var seen: Set<TopicID> = []
        for (index, t) in tables.enumerated() {
            let path = Path(name: "topics", index: index)
            let label = "[[topics]]"
            checkKeys(
                t,
                allowed: [
                    "id", "label", "terms", "acronyms", "related", "exclude", "passing", "threshold", "machinery",
                    "setting", "elsewhere", "model",
                ],
                in: path, label: label)
            guard let rawID = string(t, "id", in: path, label: label) else {
                if t["id"] == nil {
                    problem(at: path, key: nil, .missing(label, "id", .example("id = \"apprentissage\"")))
                }
                continue
            }
            guard let id = TopicID(rawValue: rawID) else {
                problem(at: path, key: "id", .notTopicID(label, quoted(rawID)))
                continue
            }
            if !seen.insert(id).inserted {
                problem(at: path, key: "id", .definedTwice(label, quoted(rawID)))
                continue
            }
            var topic = topics.first { $0.id == id } ?? Topic(id: id, label: rawID)
            if let v = string(t, "label", in: path, label: label) { topic.label = v }
            if let v = stringArray(t, "terms", in: path, label: label) { topic.terms = v }
            if let v = stringArray(t, "acronyms", in: path, label: label) { topic.acronyms = v }
            if let v = stringArray(t, "related", in: path, label: label) { topic.related = v }
            if let v = stringArray(t, "exclude", in: path, label: label) { topic.exclude = v }
            if let v = stringArray(t, "passing", in: path, label: label) { topic.passing = v }
            if let v = stringArray(t, "machinery", in: path, label: label) { topic.machinery = v }
            if let v = stringArray(t, "setting", in: path, label: label) { topic.setting = v }
            if let v = stringArray(t, "elsewhere", in: path, label: label) { topic.elsewhere = v }
            if let v = bool(t, "model", in: path, label: label) { topic.learned = v }
            if let v = number(t, "threshold", in: path, label: label) {
                if v > 0 {
                    topic.threshold = v
                } else {
                    problem(at: path, key: "threshold", .mustBePositive(label, "threshold"))
                }
            }
            if !builtInIDs.contains(id), topic.terms.isEmpty, topic.acronyms.isEmpty {
                problem(at: path, key: "id", .topicNeedsTerms(label, rawID))
            }
            if let existing = topics.firstIndex(where: { $0.id == id }) {
                topics[existing] = topic
            } else {
                topics.append(topic)
            }
        }
        return topics
    }

    mutating func readFeeds(_ root: TOMLTable, topics known: Set<TopicID>) -> [FeedEntry] {
        guard let tables = arrayOfTables(root, "feeds") else { return [] }
        var feeds: [FeedEntry] = []
        var seen: [String: Int?] = [:]  // normalized URL → line of its first listing
        for (index, t) in tables.enumerated() {
            let path = Path(name: "feeds", index: index)
            let label = "[[feeds]]"
            checkKeys(
                t,
                allowed: ["url", "title", "name", "topics", "interval", "weight", "enabled"] + Self.sourceKindKeys,
                in: path,
                label: label)
            var ok = true
            var url: FeedURL? = nil
            if let raw = string(t, "url", in: path, label: label) {
                url = FeedURL(raw)
                if url == nil {
                    problem(at: path, key: "url", .notHTTPURL(label, "url", quoted(raw)))
                }
            } else if t["url"] == nil {
                problem(at: path, key: nil, .missing(label, "url", .feedURLHint))
            }
            if let url {
                let line = map.line(of: "url", in: path)
                if let first = seen[url.normalized] {
                    problem(at: path, key: "url", .alreadyListed(label, quoted(url.rawValue), line: first))
                    ok = false
                } else {
                    seen.updateValue(line, forKey: url.normalized)
                }
            }
            var entry = FeedEntry(url: url ?? FeedURL("http://invalid.invalid")!)
            entry.kind = readSourceKind(t, in: path, label: label)
            if case .page = entry.kind {
                // For a page, `title` is the recipe's XPath (read by readSourceKind).
            } else if t["title"] != nil, t["name"] != nil {
                // Both would name the source: say so rather than let one silently win.
                problem(at: path, key: "name", .titleAndName(label, "name"))
            } else if let v = string(t, "title", in: path, label: label) {
                let title = v.trimmingCharacters(in: .whitespacesAndNewlines)
                entry.title = title.isEmpty ? nil : title
            }
            if let v = string(t, "name", in: path, label: label) {
                let name = v.trimmingCharacters(in: .whitespacesAndNewlines)
                entry.name = name.isEmpty ? nil : name
            }
            if let list = stringArray(t, "topics", in: path, label: label) {
                for raw in list {
                    if let id = TopicID(rawValue: raw), known.contains(id) {
                        if !entry.topics.contains(id) { entry.topics.append(id) }
                    } else {
                        let names = known.sorted().map(\.rawValue).joined(separator: ", ")
                        problem(at: path, key: "topics", .unknownTopic(label, quoted(raw), known: names))
                    }
                }
            }
            if let v = interval(t, "interval", in: path, label: label) { entry.interval = v }
            if let v = number(t, "weight", in: path, label: label) {
                if v > 0 && v <= 100 {
                    entry.weight = v
                } else {
                    problem(at: path, key: "weight", .weightOutOfRange(label, "weight", v))
                }
            }
            if let v = bool(t, "enabled", in: path, label: label) { entry.enabled = v }
            if ok, url != nil { feeds.append(entry) }
        }
        return feeds
    }

    /// The `[[deliver]]` tables: each needs a unique `name`, a known `type` and that type's keys.
    mutating func readDeliver(_ root: TOMLTable, hasEmail: Bool) -> [DeliveryTarget] {
        guard let tables = arrayOfTables(root, "deliver") else { return [] }
        var targets: [DeliveryTarget] = []
        var names: [String: Int?] = [:]
        for (index, t) in tables.enumerated() {
            let path = Path(name: "deliver", index: index)
            var label = "[[deliver]]"
            let name = string(t, "name", in: path, label: label)
            if name == nil, t["name"] == nil {
                problem(at: path, key: nil, .missing(label, "name", .example("name = \"equipe\"")))
            }
            if let name {
                if name.isEmpty
                    || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
                {
                    problem(at: path, key: "name", .badTargetName(label, quoted(name)))
                } else if let first = names[name] {
                    problem(at: path, key: "name", .alreadyUsed(label, quoted(name), line: first))
                } else {
                    names[name] = map.line(of: "name", in: path)
                }
                label = "[[deliver]] \(name)"
            }
            let type = string(t, "type", in: path, label: label)
            if type == nil, t["type"] == nil {
                problem(at: path, key: nil, .missing(label, "type", .list(DeliveryTarget.types)))
            }
            func secret(_ key: String, required: Bool) -> SecretValue? {
                if let variable = string(t, key + "_env", in: path, label: label) {
                    if variable.isEmpty || variable.contains("=") || variable.contains("$") {
                        problem(at: path, key: key + "_env", .notVariableName(label, key + "_env", quoted(variable)))
                        return nil
                    }
                    return .environment(variable)
                }
                if key != "url", t[key] != nil {
                    problem(at: path, key: key, .secretInFile(label, key))
                    return nil
                }
                if key == "url", let value = string(t, "url", in: path, label: label) { return .literal(value) }
                if required {
                    problem(at: path, key: nil, .missing(label, key + "_env", .variableHolding(key)))
                }
                return nil
            }
            func url(required: Bool = true) -> SecretValue? {
                let value = secret("url", required: false)
                if value == nil, required, t["url"] == nil, t["url_env"] == nil {
                    problem(at: path, key: nil, .missing(label, "url", .targetURLHint))
                }
                if case .literal(let raw)? = value, !isHTTPURL(raw) {
                    problem(at: path, key: "url", .notHTTPURL(label, "url", quoted(raw)))
                    return nil
                }
                return value
            }
            var allowed = ["name", "type", "timeout"]
            var endpoint: DeliveryTarget.Endpoint?
            switch type {
            case "slack", "teams":
                allowed += ["url", "url_env"]
                if let u = url() { endpoint = type == "slack" ? .slack(url: u) : .teams(url: u) }
            case "matrix":
                allowed += ["homeserver", "room", "token_env"]
                var homeserver: URL?
                if let raw = string(t, "homeserver", in: path, label: label) {
                    if isHTTPURL(raw) {
                        homeserver = URL(string: raw)
                    } else {
                        problem(at: path, key: "homeserver", .notHTTPURL(label, "homeserver", quoted(raw)))
                    }
                } else if t["homeserver"] == nil {
                    problem(
                        at: path, key: nil, .missing(label, "homeserver", .example("\"https://matrix.example.org\"")))
                }
                var room: String?
                if let raw = string(t, "room", in: path, label: label) {
                    if (raw.hasPrefix("!") || raw.hasPrefix("#")) && raw.contains(":") {
                        room = raw
                    } else {
                        problem(at: path, key: "room", .notRoom(label, quoted(raw)))
                    }
                } else if t["room"] == nil {
                    problem(at: path, key: nil, .missing(label, "room", .roomHint))
                }
                let token = secret("token", required: true)
                if let homeserver, let room, let token {
                    endpoint = .matrix(homeserver: homeserver, room: room, token: token)
                }
            case "webdav":
                allowed += ["url", "url_env", "user", "password_env"]
                let user = string(t, "user", in: path, label: label)
                let password = secret("password", required: false)
                if let folder = url() { endpoint = .webdav(folder: folder, user: user, password: password) }
            case "notion":
                allowed += ["database", "token_env", "api"]
                let database = string(t, "database", in: path, label: label)
                if database == nil, t["database"] == nil {
                    problem(at: path, key: nil, .missing(label, "database", .notionDatabaseHint))
                }
                var api = URL(string: "https://api.notion.com")!
                if let raw = string(t, "api", in: path, label: label) {
                    if isHTTPURL(raw), let parsed = URL(string: raw) {
                        api = parsed
                    } else {
                        problem(at: path, key: "api", .notHTTPURL(label, "api", quoted(raw)))
                    }
                }
                let token = secret("token", required: true)
                if let database, let token { endpoint = .notion(database: database, token: token, api: api) }
            case "webhook":
                allowed += ["url", "url_env", "secret_env"]
                let signing = secret("secret", required: false)
                if let u = url() { endpoint = .webhook(url: u, secret: signing) }
            case "email":
                if !hasEmail {
                    problem(at: path, key: "type", .emailNeedsSection(label))
                } else {
                    endpoint = .email
                }
            case let other?:
                problem(at: path, key: "type", .unknownTargetType(label, quoted(other), DeliveryTarget.types))
            case nil:
                break
            }
            checkKeys(
                t, allowed: allowed + (type == nil || DeliveryTarget.types.contains(type!) ? [] : Array(t.keys)),
                in: path, label: label)
            var timeout = Duration.seconds(30)
            if let v = interval(t, "timeout", in: path, label: label) { timeout = v }
            if let name, let endpoint, names[name] != nil {
                targets.append(
                    DeliveryTarget(name: name, endpoint: endpoint, timeout: timeout, line: map.line(of: nil, in: path)))
            }
        }
        return targets
    }

    func isHTTPURL(_ raw: String) -> Bool {
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased() else { return false }
        return (scheme == "http" || scheme == "https") && url.host?.isEmpty == false
    }

    // MARK: typed accessors (each records its own problem and returns nil)

    mutating func table(_ root: TOMLTable, _ key: String) -> TOMLTable? {
        guard let value = root[key] else { return nil }
        if let t = value.table { return t }
        problem(at: Path(name: "", index: nil), key: key, .expectedTable(key, found: describe(value)))
        return nil
    }

    mutating func arrayOfTables(_ root: TOMLTable, _ key: String) -> [TOMLTable]? {
        guard let value = root[key] else { return nil }
        if let array = value.array {
            var tables: [TOMLTable] = []
            for element in array {
                if let t = element.table {
                    tables.append(t)
                } else {
                    problem(at: Path(name: "", index: nil), key: key, .expectedTables(key, found: describe(element)))
                    return nil
                }
            }
            return tables
        }
        let line =
            map.line(of: nil, in: Path(name: key, index: nil)) ?? map.line(of: key, in: Path(name: "", index: nil))
        problems.append(
            .init(file: displayName, line: line, message: .writeAsArrayOfTables(key)))
        return nil
    }

    mutating func string(_ t: TOMLTable, _ key: String, in path: Path, label: String) -> String? {
        guard let value = t[key] else { return nil }
        if let s = value.string { return s }
        problem(at: path, key: key, .expected(label, key, .aString, found: describe(value)))
        return nil
    }

    mutating func stringArray(_ t: TOMLTable, _ key: String, in path: Path, label: String) -> [String]? {
        guard let value = t[key] else { return nil }
        guard let array = value.array else {
            problem(at: path, key: key, .expected(label, key, .aStringList, found: describe(value)))
            return nil
        }
        var result: [String] = []
        for element in array {
            guard let s = element.string else {
                problem(at: path, key: key, .expected(label, key, .aStringList, found: describe(element), inIt: true))
                return nil
            }
            result.append(s)
        }
        return result
    }

    mutating func bool(_ t: TOMLTable, _ key: String, in path: Path, label: String) -> Bool? {
        guard let value = t[key] else { return nil }
        if let b = value.bool { return b }
        problem(at: path, key: key, .expected(label, key, .aBoolean, found: describe(value)))
        return nil
    }

    mutating func number(_ t: TOMLTable, _ key: String, in path: Path, label: String) -> Double? {
        guard let value = t[key] else { return nil }
        if let d = value.double { return d }
        if let i = value.int { return Double(i) }
        problem(at: path, key: key, .expected(label, key, .aNumber, found: describe(value)))
        return nil
    }

    mutating func positiveInt(_ t: TOMLTable, _ key: String, in path: Path, label: String, max: Int) -> Int? {
        guard let value = t[key] else { return nil }
        guard let i = value.int else {
            problem(at: path, key: key, .expected(label, key, .aWholeNumber, found: describe(value)))
            return nil
        }
        guard i >= 1, i <= max else {
            problem(at: path, key: key, .outOfRange(label, key, i, max: max))
            return nil
        }
        return i
    }

    mutating func interval(_ t: TOMLTable, _ key: String, in path: Path, label: String) -> Duration? {
        guard let value = t[key] else { return nil }
        guard let s = value.string else {
            problem(at: path, key: key, .expected(label, key, .aDuration, found: describe(value)))
            return nil
        }
        guard let parsed = Interval(parsing: s) else {
            problem(at: path, key: key, .notDuration(label, key, quoted(s)))
            return nil
        }
        return parsed.duration
    }

    mutating func byteSize(_ t: TOMLTable, _ key: String, in path: Path, label: String) -> ByteSize? {
        guard let value = t[key] else { return nil }
        if let i = value.int {
            guard i > 0 else {
                problem(at: path, key: key, .mustBePositive(label, key))
                return nil
            }
            return ByteSize(bytes: i)
        }
        guard let s = value.string else {
            problem(at: path, key: key, .expected(label, key, .aSize, found: describe(value)))
            return nil
        }
        guard let size = ByteSize(parsing: s), size.bytes > 0 else {
            problem(at: path, key: key, .notSize(label, key, quoted(s)))
            return nil
        }
        return size
    }

    // MARK: problems

    mutating func checkKeys(_ t: TOMLTable, allowed: [String], in path: Path, label: String, isRoot: Bool = false) {
        for key in t.keys.sorted() where !allowed.contains(key) {
            let message = Wording.unknownKey(
                isRoot ? nil : label, key, guess: Self.closest(to: key, in: allowed))
            let line =
                isRoot ? (map.line(of: key, in: path) ?? firstHeaderLine(named: key)) : map.line(of: key, in: path)
            problems.append(.init(file: displayName, line: line, message: message))
        }
    }

    func firstHeaderLine(named name: String) -> Int? {
        map.line(of: nil, in: Path(name: name, index: nil)) ?? map.arrayHeaderLines[name]?.first
    }

    mutating func problem(at path: Path, key: String?, _ message: Wording) {
        problems.append(.init(file: displayName, line: map.line(of: key, in: path), message: message))
    }

    func resolve(_ path: String, against base: URL, isDirectory: Bool) -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") {
            return URL(fileURLWithPath: expanded, isDirectory: isDirectory).standardizedFileURL
        }
        return base.appendingPathComponent(expanded, isDirectory: isDirectory).standardizedFileURL
    }

    func describe(_ value: any TOMLValueConvertible) -> Wording {
        switch value.type {
        case .string: return .theString(quoted(value.string ?? ""))
        case .int: return .theNumber(value.int.map(String.init) ?? "")
        case .double: return .theNumber(value.double.map { String($0) } ?? "")
        case .bool: return .untranslated(value.bool == true ? "true" : "false")
        case .array: return .aList
        case .table: return .aTable
        case .date, .time, .dateTime: return .aDate
        }
    }

    /// A value as feeds.toml would write it (a TOML basic string).
    func quoted(_ s: String) -> String { FeedsFile.tomlString(s) }

    func isPlausibleAddress(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !s.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," })
    }

    /// The allowed key a typo most likely meant (edit distance at most 3, or a prefix).
    static func closest(to key: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(key.lowercased(), $0)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(1, min(3, key.count / 3)) ? best.0 : nil
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

// MARK: source kinds (kind = "feed" | "page" | "change")

extension ConfigurationReader {
    /// The `[[feeds]]` keys of the source kinds (docs/configuration.md, "Pages and documents").
    static let sourceKindKeys = ["kind", "items", "link", "date", "summary", "region", "ignore"]

    /// `kind` and its keys; every XPath compiled and every `ignore` pattern checked, so that a
    /// typo is a check-config error with its line rather than a failing poll.
    mutating func readSourceKind(_ t: TOMLTable, in path: Path, label: String) -> SourceKind {
        var name = "feed"
        if let raw = string(t, "kind", in: path, label: label) {
            if SourceKind.names.contains(raw) {
                name = raw
            } else {
                problem(at: path, key: "kind", .notKind(label, "kind", quoted(raw)))
            }
        }
        let pageKeys = ["items", "link", "date", "summary"]
        let changeKeys = ["region", "ignore"]
        for key in (pageKeys + changeKeys) where t[key] != nil {
            let wanted = pageKeys.contains(key) ? "page" : "change"
            if wanted != name {
                problem(at: path, key: key, .onlyWithKind(label, key, wanted: wanted, actual: name))
            }
        }
        func xpath(_ key: String) -> String? {
            guard let value = string(t, key, in: path, label: label) else { return nil }
            if let wording = SourceKind.xpathProblem(label, key, value) {
                problem(at: path, key: key, wording)
                return nil
            }
            return value
        }
        switch name {
        case "page":
            let items = xpath("items")
            let title = xpath("title")
            let link = xpath("link")
            let date = xpath("date")
            let summary = xpath("summary")
            guard let items else {
                if title != nil || link != nil || date != nil || summary != nil, t["items"] == nil {
                    problem(at: path, key: nil, .missing(label, "items", .itemsHint))
                }
                return .page(nil)
            }
            return .page(PageRecipe(items: items, title: title, link: link, date: date, summary: summary))
        case "change":
            var watch = ChangeWatch(region: xpath("region"))
            for pattern in stringArray(t, "ignore", in: path, label: label) ?? [] {
                if let wording = SourceKind.ignoreProblem(label, "ignore", pattern) {
                    problem(at: path, key: "ignore", wording)
                } else {
                    watch.ignore.append(pattern)
                }
            }
            return .change(watch)
        default:
            return .feed
        }
    }
}
