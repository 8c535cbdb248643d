import ArgumentParser
import Foundation
import RegWatch
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `--log-level`, for the subcommands that log (the daemon first).
struct LoggingOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "How much to log on stderr: trace, debug, info, notice, warning, error or critical (default: $REGWATCH_LOG_LEVEL, else info).",
            valueName: "level"))
    var logLevel: Logger.Level?
}

/// A command whose `--log-level` the bootstrap honours.
protocol LogLevelConfigurable {
    /// The command's logging options.
    var logging: LoggingOptions { get }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// The one place `LoggingSystem.bootstrap` is called: library code only receives `Logger`s.
enum LogBootstrap {
    /// The level used when neither `--log-level` nor `$REGWATCH_LOG_LEVEL` says otherwise.
    static let defaultLevel: Logger.Level = .info

    /// The variables the bootstrap reads, from the process's environment: `ProcessInfo`'s whole
    /// environment, a dictionary of every variable, cost every command more than its own use.
    static func environment() -> [String: String] {
        var values: [String: String] = [:]
        for name in ["REGWATCH_LOG_LEVEL", "JOURNAL_STREAM", "NO_COLOR"] {
            if let value = getenv(name) { values[name] = String(cString: value) }
        }
        return values
    }

    /// Installs the stderr handler at the level of `--log-level`, else `$REGWATCH_LOG_LEVEL`, else `info`.
    ///
    /// - Throws: `ValidationError` when `$REGWATCH_LOG_LEVEL` is not a level name (exit 2).
    static func bootstrap(commandLevel: Logger.Level?, environment: [String: String]) throws {
        var level = defaultLevel
        if let commandLevel {
            level = commandLevel
        } else if let text = environment["REGWATCH_LOG_LEVEL"], !text.isEmpty {
            guard let parsed = Logger.Level(rawValue: text.lowercased()) else {
                let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError(Messages.current.badLogLevel(text, names: names))
            }
            level = parsed
        }
        let style = StderrLogHandler.Style.detect(environment: environment)
        let chosen = level
        LoggingSystem.bootstrap { label in
            StderrLogHandler(label: label, logLevel: chosen, style: style)
        }
    }
}

/// Writes one line per event on stderr, in the form the reader at the other end wants.
///
/// Under systemd (stderr is the journal stream named by `$JOURNAL_STREAM`) each line starts with
/// the `<N>` syslog priority that journald turns into the entry's priority, and carries no
/// timestamp of its own (the journal stamps it). Elsewhere a line starts with an ISO 8601
/// timestamp; the level is coloured only on a terminal, and never when `$NO_COLOR` is set.
/// Metadata follow the message as sorted `key=value` pairs, quoted when they hold spaces, so
/// `journalctl -u regwatch | grep feed.url=` works.
struct StderrLogHandler: LogHandler {
    /// How a line is dressed.
    enum Style: Sendable, Equatable {
        /// journald: `<4>regwatch: message key=value`.
        case journal
        /// a terminal: timestamp, coloured level.
        case terminal
        /// a pipe or a file: timestamp, plain level.
        case plain

        /// The style for this process's stderr.
        static func detect(environment: [String: String]) -> Style {
            if let stream = environment["JOURNAL_STREAM"], stderrIs(stream) { return .journal }
            if isatty(STDERR_FILENO) == 1, environment["NO_COLOR"] == nil { return .terminal }
            return .plain
        }

        /// `$JOURNAL_STREAM` is `DEVICE:INODE` of the journal socket; it is inherited by children
        /// whose stderr may be redirected elsewhere, so it counts only when it is stderr itself.
        private static func stderrIs(_ stream: String) -> Bool {
            let parts = stream.split(separator: ":")
            guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else {
                return false
            }
            var info = stat()
            guard fstat(STDERR_FILENO, &info) == 0 else { return false }
            return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
        }
    }

    let label: String
    var logLevel: Logger.Level
    let style: Style
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, logLevel: Logger.Level, style: Style) {
        self.label = label
        self.logLevel = logLevel
        self.style = style
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        let message = Self.oneLine(event.message.description)
        let pairs = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quoted($0.value.description))" }
        let tail = pairs.isEmpty ? "" : " " + pairs.joined(separator: " ")

        let line: String
        switch style {
        case .journal:
            line = "<\(Self.priority(event.level))>\(label): \(message)\(tail)\n"
        case .terminal:
            line = "\(Self.timestamp()) \(Self.coloured(event.level)) \(label): \(message)\(tail)\n"
        case .plain:
            line = "\(Self.timestamp()) \(event.level.rawValue) \(label): \(message)\(tail)\n"
        }
        // One write(2) per line: lines from concurrent tasks never interleave mid-line.
        var bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes {
                write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset)
            }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }

    /// syslog priorities, as `sd-daemon(3)` prefixes them.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    private static func coloured(_ level: Logger.Level) -> String {
        let code: String
        switch level {
        case .trace, .debug: code = "2"
        case .info: code = "0"
        case .notice: code = "36"
        case .warning: code = "33"
        case .error, .critical: code = "31"
        }
        return "\u{1B}[\(code)m\(level.rawValue)\u{1B}[0m"
    }

    private static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
    }

    /// A feed title or a server's error text may hold newlines; a log entry must not.
    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    private static func quoted(_ value: String) -> String {
        let flat = oneLine(value)
        guard flat.isEmpty || flat.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return flat }
        return "\"" + flat.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }
}
