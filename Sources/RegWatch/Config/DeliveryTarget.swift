import Foundation

/// A place the weekly digest is delivered to: a `[[deliver]]` table of feeds.toml, or the
/// `[email]` section (the target named `email`).
///
/// Secrets never sit in feeds.toml: a key ending in `_env` names an environment variable
/// (or, under systemd, a credential passed with `LoadCredential=`) that holds the value.
public struct DeliveryTarget: Sendable, Equatable {
    /// What kind of service receives the digest, and how to reach it.
    public enum Endpoint: Sendable, Equatable {
        /// A Slack incoming webhook (also Mattermost and Rocket.Chat): `url` / `url_env`.
        case slack(url: SecretValue)
        /// A Microsoft Teams Workflows webhook: `url` / `url_env`; an Adaptive Card.
        case teams(url: SecretValue)
        /// A Matrix room (Element, Tchap): `homeserver`, `room` (`!id:server` or `#alias:server`), `token_env`.
        case matrix(homeserver: URL, room: String, token: SecretValue)
        /// A WebDAV folder (Nextcloud, ownCloud, SharePoint): `url` / `url_env`, `user`, `password_env`.
        case webdav(folder: SecretValue, user: String?, password: SecretValue?)
        /// A Notion database: `database`, `token_env`; `api` for another endpoint than Notion's own.
        case notion(database: String, token: SecretValue, api: URL)
        /// Any HTTP endpoint that takes the digest JSON: `url` / `url_env`, `secret_env` to sign it.
        case webhook(url: SecretValue, secret: SecretValue?)
        /// The `[email]` section: the email digest over SMTP.
        case email
    }

    /// The name `watchctl digest --deliver --to NAME` takes.
    public var name: String
    /// Where and how.
    public var endpoint: Endpoint
    /// The time one request to the target may take. Default 30 s.
    public var timeout: Duration
    /// The line of its `[[deliver]]` table in feeds.toml, for error messages.
    public var line: Int?

    /// Creates a target.
    public init(name: String, endpoint: Endpoint, timeout: Duration = .seconds(30), line: Int? = nil) {
        self.name = name
        self.endpoint = endpoint
        self.timeout = timeout
        self.line = line
    }

    /// `slack`, `teams`, `matrix`, `webdav`, `notion`, `webhook` or `email`: the `type` key.
    public var type: String {
        switch endpoint {
        case .slack: "slack"
        case .teams: "teams"
        case .matrix: "matrix"
        case .webdav: "webdav"
        case .notion: "notion"
        case .webhook: "webhook"
        case .email: "email"
        }
    }

    /// The types `type` accepts.
    public static let types = ["slack", "teams", "matrix", "webdav", "notion", "webhook", "email"]

    /// Every secret the target needs, with the key that names it.
    public var secrets: [(key: String, value: SecretValue)] {
        switch endpoint {
        case .slack(let url), .teams(let url): [("url", url)]
        case .matrix(_, _, let token): [("token_env", token)]
        case .webdav(let folder, _, let password): [("url", folder)] + (password.map { [("password_env", $0)] } ?? [])
        case .notion(_, let token, _): [("token_env", token)]
        case .webhook(let url, let secret): [("url", url)] + (secret.map { [("secret_env", $0)] } ?? [])
        case .email: []
        }
    }
}

/// A value written in feeds.toml, or read when needed from the environment or a systemd credential.
public enum SecretValue: Sendable, Equatable {
    /// Written in feeds.toml (a URL that is not a secret).
    case literal(String)
    /// Named by a `*_env` key: the environment variable of that name, else the file of that name
    /// (or its lowercase) in `$CREDENTIALS_DIRECTORY`, where systemd's `LoadCredential=` puts it.
    case environment(String)

    /// The value, or `nil` when the variable is set nowhere.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        switch self {
        case .literal(let value):
            return value
        case .environment(let name):
            if let value = environment[name], !value.isEmpty { return value }
            guard let folder = environment["CREDENTIALS_DIRECTORY"], !folder.isEmpty else { return nil }
            for file in [name, name.lowercased()] {
                let path = URL(fileURLWithPath: folder).appendingPathComponent(file).path
                if let data = FileManager.default.contents(atPath: path) {
                    let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    if !value.isEmpty { return value }
                }
            }
            return nil
        }
    }

    /// How an error names it without revealing it: `$SLACK_URL`, or "the value in feeds.toml".
    public var reference: Wording {
        switch self {
        case .literal: .valueInFile
        case .environment(let name): .untranslated("$\(name)")
        }
    }
}

extension Configuration {
    /// Every delivery target, in file order: the `[[deliver]]` tables, then the `[email]`
    /// section as the target `email` when no `[[deliver]]` table of type `email` stands for it.
    public var deliveryTargets: [DeliveryTarget] {
        var targets = deliver
        if email != nil, !targets.contains(where: { $0.endpoint == .email }),
            !targets.contains(where: { $0.name == "email" })
        {
            targets.append(DeliveryTarget(name: "email", endpoint: .email))
        }
        return targets
    }

    /// The secrets of the delivery targets that are not set in this environment: one line
    /// each, naming the file, the line, the target and the variable.
    public func missingDeliverySecrets(environment: [String: String] = ProcessInfo.processInfo.environment) -> [Wording]
    {
        let file = self.file?.path ?? "feeds.toml"
        return deliver.flatMap { target in
            target.secrets.compactMap { key, value -> Wording? in
                guard value.resolve(environment: environment) == nil else { return nil }
                return Wording.secretNotSet(key: key, value.reference)
                    .about("[[deliver]] \(target.name)")
                    .prefixed("\(file):\(target.line.map(String.init) ?? "?"): ")
            }
        }
    }
}
