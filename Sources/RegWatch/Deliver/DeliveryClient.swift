import Foundation
import Transfer

/// Delivers one week's digest to one `[[deliver]]` target over HTTP, through libcurl.
///
/// Every failure becomes one ``DeliveryError`` line that names the target, says what went
/// wrong and what to do, and never repeats a secret (a webhook URL, a token).
struct DeliveryClient: Sendable {
    let target: DeliveryTarget
    let environment: [String: String]
    /// `--force`: post again, with a new Matrix transaction id.
    let force: Bool
    let now: Date

    /// The longest `Retry-After` waited for before reporting the 429.
    static let longestRetryWait = Duration.seconds(60)
    /// How many times a 429 is retried.
    static let retries = 2

    var sender: HTTPSender {
        HTTPSender(configuration: .init(timeout: target.timeout, userAgent: "regwatch/\(RegWatchVersion.current)"))
    }

    /// Delivers `content`; returns the remote id when the service gives one.
    func deliver(_ content: DeliveryContent) async throws(DeliveryError) -> String? {
        switch target.endpoint {
        case .slack(let url):
            let endpoint = try resolveURL(url, key: "url")
            for message in DeliveryPayloads.slack(content.document, topics: content.topics) {
                _ = try await post(endpoint, json: message, what: .slackWebhook, urlKey: url)
            }
            return nil
        case .teams(let url):
            let endpoint = try resolveURL(url, key: "url")
            _ = try await post(
                endpoint, json: DeliveryPayloads.teams(content.document, topics: content.topics),
                what: .teamsWebhook, urlKey: url)
            return nil
        case .webhook(let url, let secret):
            let endpoint = try resolveURL(url, key: "url")
            let body = Data(content.json.utf8)
            var headers: [(name: String, value: String)] = [
                ("Content-Type", "application/json; charset=utf-8"), ("X-Regwatch-Week", content.week.description),
                ("X-Regwatch-Event", "digest"),
            ]
            if let secret {
                let key = try resolve(secret, key: "secret_env")
                headers.append(
                    ("X-Regwatch-Signature", "sha256=" + HMACSHA256.hex(key: Array(key.utf8), message: Array(body))))
            }
            _ = try await send(
                OutgoingRequest(method: "POST", url: endpoint, headers: headers, body: body), what: .webhook,
                urlKey: url)
            return nil
        case .matrix(let homeserver, let room, let token):
            return try await deliverToMatrix(
                content, homeserver: homeserver, room: room, token: try resolve(token, key: "token_env"),
                tokenRef: token)
        case .webdav(let folder, let user, let password):
            var secret: String?
            if let password { secret = try resolve(password, key: "password_env") }
            return try await deliverToWebDAV(
                content, folder: try resolveURL(folder, key: "url"), user: user, password: secret, passwordRef: password
            )
        case .notion(let database, let token, let api):
            return try await deliverToNotion(
                content, database: database, token: try resolve(token, key: "token_env"), tokenRef: token, api: api)
        case .email:
            return nil  // sent by the publisher over SMTP
        }
    }

    // MARK: Matrix

    func deliverToMatrix(
        _ content: DeliveryContent, homeserver: URL, room: String, token: String, tokenRef: SecretValue
    )
        async throws(DeliveryError) -> String?
    {
        let auth = [(name: "Authorization", value: "Bearer \(token)")]
        let base =
            homeserver.absoluteString.hasSuffix("/")
            ? String(homeserver.absoluteString.dropLast()) : homeserver.absoluteString
        var roomID = room
        if room.hasPrefix("#") {
            let url = URL(string: "\(base)/_matrix/client/v3/directory/room/\(Self.pathSegment(room))")!
            let response = try await send(
                OutgoingRequest(method: "GET", url: url, headers: auth), what: .matrixHomeserver,
                tokenRef: tokenRef,
                notFound: .roomAliasMissing(room, on: homeserver.host))
            guard
                let found = (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any])?["room_id"]
                    as? String
            else {
                throw fail(.roomAliasUnresolved(room))
            }
            roomID = found
        }
        // The same week, target and version: the same transaction, which the homeserver
        // answers with the first event instead of posting twice.
        var transaction = "regwatch.\(content.week).\(target.name).v\(content.version)"
        if force { transaction += ".forced-\(Int(now.timeIntervalSince1970))" }
        let url = URL(
            string:
                "\(base)/_matrix/client/v3/rooms/\(Self.pathSegment(roomID))/send/m.room.message/\(Self.pathSegment(transaction))"
        )!
        let response = try await send(
            OutgoingRequest(
                method: "PUT", url: url, headers: auth + [("Content-Type", "application/json")],
                body: DeliveryPayloads.matrix(content.document, text: content.text, topics: content.topics)),
            what: .matrixHomeserver, tokenRef: tokenRef,
            forbidden: .mayNotPost(in: room), notFound: .roomNotFound(room))
        return (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any])?["event_id"] as? String
    }

    // MARK: WebDAV

    func deliverToWebDAV(
        _ content: DeliveryContent, folder: URL, user: String?, password: String?, passwordRef: SecretValue?
    )
        async throws(DeliveryError) -> String?
    {
        let folderURL = folder.absoluteString.hasSuffix("/") ? folder : URL(string: folder.absoluteString + "/")!
        let auth = user.map { (user: $0, password: password ?? "") }
        let mkcol = try await send(
            OutgoingRequest(method: "MKCOL", url: folderURL, basicAuth: auth), what: .webDAVServer,
            tokenRef: passwordRef,
            accept: [405],  // 405: the folder exists already
            conflict: .parentFolderMissing(Self.redacted(folderURL)))
        _ = mkcol
        // The file names come from the week alone ("regwatch-2025-W49.md"): nothing from a
        // feed reaches a path.
        let name = "regwatch-\(content.week)"
        let files = [
            (name + ".md", "text/markdown; charset=utf-8", Data(content.markdown.utf8)),
            (
                name + ".html", "text/html; charset=utf-8",
                Data(DeliveryPayloads.htmlPage(content.document, topics: content.topics).utf8)
            ),
        ]
        for (file, type, body) in files {
            _ = try await send(
                OutgoingRequest(
                    method: "PUT", url: folderURL.appendingPathComponent(file), headers: [("Content-Type", type)],
                    body: body,
                    basicAuth: auth),
                what: .webDAVServer, tokenRef: passwordRef,
                notFound: .folderNotFound(Self.redacted(folderURL)))
        }
        return folderURL.appendingPathComponent(name + ".md").path
    }

    // MARK: Notion

    func deliverToNotion(_ content: DeliveryContent, database: String, token: String, tokenRef: SecretValue, api: URL)
        async throws(DeliveryError) -> String?
    {
        let base = api.absoluteString.hasSuffix("/") ? String(api.absoluteString.dropLast()) : api.absoluteString
        let headers = [
            (name: "Authorization", value: "Bearer \(token)"), (name: "Notion-Version", value: "2022-06-28"),
            (name: "Content-Type", value: "application/json"),
        ]
        // The database's title property has the name its owner gave it ("Name", "Nom"…).
        let schema = try await send(
            OutgoingRequest(
                method: "GET", url: URL(string: "\(base)/v1/databases/\(Self.pathSegment(database))")!, headers: headers
            ),
            what: .notion, tokenRef: tokenRef,
            notFound: .notionDatabaseNotShared(database))
        let properties =
            (try? JSONSerialization.jsonObject(with: schema.body) as? [String: Any])?["properties"] as? [String: Any]
            ?? [:]
        let titleProperty =
            properties.first { ($0.value as? [String: Any])?["type"] as? String == "title" }?.key ?? "Name"

        let blocks = DeliveryPayloads.notionBlocks(content.document, topics: content.topics)
        let first = Array(blocks.prefix(DeliveryPayloads.notionBlocksPerRequest))
        let page: [String: Any] = [
            "parent": ["database_id": database],
            "properties": [titleProperty: ["title": [["type": "text", "text": ["content": content.document.title]]]]],
            "children": first,
        ]
        let created = try await send(
            OutgoingRequest(
                method: "POST", url: URL(string: "\(base)/v1/pages")!, headers: headers,
                body: DeliveryPayloads.json(page)),
            what: .notion, tokenRef: tokenRef, notFound: .notionDatabaseNotFound(database))
        guard let pageID = (try? JSONSerialization.jsonObject(with: created.body) as? [String: Any])?["id"] as? String
        else {
            throw fail(.notionNoPage)
        }
        var rest = blocks.dropFirst(DeliveryPayloads.notionBlocksPerRequest)
        while !rest.isEmpty {
            let batch = Array(rest.prefix(DeliveryPayloads.notionBlocksPerRequest))
            rest = rest.dropFirst(batch.count)
            _ = try await send(
                OutgoingRequest(
                    method: "PATCH", url: URL(string: "\(base)/v1/blocks/\(Self.pathSegment(pageID))/children")!,
                    headers: headers,
                    body: DeliveryPayloads.json(["children": batch])),
                what: .notion, tokenRef: tokenRef)
        }
        return pageID
    }

    // MARK: requests

    func post(_ url: URL, json: Data, what: Wording, urlKey: SecretValue) async throws(DeliveryError)
        -> OutgoingResponse
    {
        try await send(
            OutgoingRequest(method: "POST", url: url, headers: [("Content-Type", "application/json")], body: json),
            what: what,
            urlKey: urlKey)
    }

    /// Sends `request`, waits out a short `Retry-After` on 429, and turns every other
    /// non-2xx answer into one actionable line.
    func send(
        _ request: OutgoingRequest, what: Wording, urlKey: SecretValue? = nil, tokenRef: SecretValue? = nil,
        accept: Set<Int> = [],
        forbidden: Wording? = nil, notFound: Wording? = nil, conflict: Wording? = nil
    ) async throws(DeliveryError) -> OutgoingResponse {
        var attempt = 0
        while true {
            let response: OutgoingResponse
            do {
                response = try await sender.send(request)
            } catch {
                // The problem without the URL: a webhook URL is a secret.
                throw fail(.unreachable(what, .transferProblem(error)))
            }
            if (200..<300).contains(response.status) || accept.contains(response.status) { return response }
            if response.status == 429 {
                let wait = response.retryAfter ?? Self.matrixRetry(response.body) ?? .seconds(1)
                if attempt < Self.retries, wait <= Self.longestRetryWait {
                    attempt += 1
                    try? await Task.sleep(for: wait)
                    continue
                }
                throw fail(.rateLimited(what, attempts: attempt + 1))
            }
            let credential = tokenRef?.reference ?? urlKey?.reference
            switch response.status {
            case 401: throw fail(.credentialsRefused(what, credential: credential))
            case 403: throw fail(.forbidden(what, forbidden ?? .checkRights(credential)))
            case 404: throw fail(.notFound(what, notFound ?? .checkURL(urlKey?.reference)))
            case 409 where conflict != nil: throw fail(.conflict(what, conflict!))
            case 500...: throw fail(.serverFailed(what, status: response.status))
            default: throw fail(.refused(what, status: response.status, Self.serviceMessage(response.body)))
            }
        }
    }

    func fail(_ message: Wording) -> DeliveryError {
        DeliveryError(line: .targetFailure(target.name, target.type, message))
    }

    func resolve(_ secret: SecretValue, key: String) throws(DeliveryError) -> String {
        guard let value = secret.resolve(environment: environment) else {
            throw fail(.secretNotSet(key: key, secret.reference))
        }
        return value
    }

    func resolveURL(_ secret: SecretValue, key: String) throws(DeliveryError) -> URL {
        let raw = try resolve(secret, key: key)
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host?.isEmpty == false
        else {
            throw fail(.secretNotHTTP(key: key, secret.reference))
        }
        return url
    }

    /// Matrix says how long to wait in its JSON (`retry_after_ms`) rather than in a header.
    static func matrixRetry(_ body: Data) -> Duration? {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let ms = object["retry_after_ms"] as? Int
        else { return nil }
        return .milliseconds(ms)
    }

    /// ": the service's own words", from a JSON `error`/`message` field, one line, short.
    static func serviceMessage(_ body: Data) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let message = (object["message"] ?? object["error"]) as? String
        else { return "" }
        return ": " + String(DigestText.clean(message).prefix(200))
    }

    /// A path segment with everything but unreserved characters percent-encoded.
    static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The URL without user info or query: what an error may show.
    static func redacted(_ url: URL) -> String {
        var parts = URLComponents(url: url, resolvingAgainstBaseURL: false)
        parts?.user = nil
        parts?.password = nil
        parts?.query = nil
        return parts?.string ?? url.host ?? "the folder"
    }
}
