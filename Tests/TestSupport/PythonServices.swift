import Foundation

/// Servers from PyPI that the delivery tests talk to for real: Synapse (a Matrix homeserver)
/// and WsgiDAV (a WebDAV server). `.ci/run` installs them in a virtual environment at
/// `.build-python/` in the repository; a machine without it skips those tests and says how
/// to make it.
public enum PythonServices {
    /// The repository's root (this file is Tests/TestSupport/PythonServices.swift).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The virtual environment's interpreter, `nil` when it is missing.
    public static var python: String? {
        let path = repository.appendingPathComponent(".build-python/bin/python").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// What to run to get the servers, for a skip message.
    public static let howToInstall =
        "python3 -m venv .build-python && .build-python/bin/pip install matrix-synapse wsgidav cheroot (what .ci/run does)"

    /// Whether `module` imports in the virtual environment.
    public static func has(_ module: String) -> Bool {
        guard let python else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import \(module)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

/// A Synapse homeserver on 127.0.0.1 with SQLite, started for one test and stopped by pid.
///
/// It registers users with its shared secret (as `register_new_matrix_user` does) and runs
/// the few client calls a test needs (log in, create a room, read it back) with Python's
/// standard library, so the test reads the room the way a Matrix client would.
public final class SynapseServer: Sendable {
    /// The port it listens on.
    public var port: Int { server.port }
    /// `http://127.0.0.1:PORT`.
    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    private let server: PythonServerProcess
    private let python: String

    /// Writes a homeserver.yaml (server name `localhost`, rate limits lifted), generates its
    /// key, starts Synapse and waits for `/health`.
    public init() throws {
        guard let python = PythonServices.python else {
            throw LoopbackServerError(description: "no .build-python: \(PythonServices.howToInstall)")
        }
        self.python = python
        server = try PythonServerProcess(
            script: Self.launcher, name: "synapse", folderPrefix: "regwatch-synapse", interpreter: python
        ) { [$0.url.path] }
    }

    deinit { stop() }

    /// Stops Synapse and deletes its folder.
    public func stop() { server.stop() }

    /// Registers `user` and logs in: its access token.
    public func register(user: String, password: String) throws -> String {
        try client(["register", user, password])
    }

    /// Creates a room with the alias `#alias:localhost`: its room id.
    public func createRoom(alias: String, token: String) throws -> String {
        try client(["create-room", alias, token])
    }

    /// The `m.room.message` events of `room`, oldest first, as JSON objects.
    public func messages(room: String, token: String) throws -> [[String: Any]] {
        let text = try client(["messages", room, token])
        return (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]]) ?? []
    }

    private func client(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", Self.clientScript, url.absoluteString] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw LoopbackServerError(
                description: "matrix client \(arguments.first ?? ""): \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static let launcher = #"""
        import os, socket, subprocess, sys, time, urllib.request
        folder = sys.argv[1]
        probe = socket.socket(); probe.bind(("127.0.0.1", 0)); port = probe.getsockname()[1]; probe.close()
        config = os.path.join(folder, "homeserver.yaml")
        with open(config, "w") as f:
            f.write(f"""server_name: "localhost"
        pid_file: {folder}/homeserver.pid
        listeners:
          - port: {port}
            bind_addresses: ["127.0.0.1"]
            type: http
            tls: false
            x_forwarded: false
            resources:
              - names: [client]
                compress: false
        database:
          name: sqlite3
          args:
            database: {folder}/homeserver.db
        media_store_path: {folder}/media_store
        signing_key_path: {folder}/signing.key
        registration_shared_secret: "regwatch-test-secret"
        report_stats: false
        trusted_key_servers: []
        suppress_key_server_warning: true
        rc_message: {{per_second: 1000, burst_count: 1000}}
        rc_registration: {{per_second: 1000, burst_count: 1000}}
        rc_login:
          address: {{per_second: 1000, burst_count: 1000}}
          account: {{per_second: 1000, burst_count: 1000}}
          failed_attempts: {{per_second: 1000, burst_count: 1000}}
        """)
        subprocess.run([sys.executable, "-m", "synapse.app.homeserver", "-c", config, "--generate-keys"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        log = open(os.path.join(folder, "synapse.out"), "w")
        child = subprocess.Popen([sys.executable, "-m", "synapse.app.homeserver", "-c", config], stdout=log, stderr=log)
        def stop(*_):
            child.terminate()
            try: child.wait(10)
            except Exception: child.kill()
            sys.exit(0)
        signal.signal(signal.SIGTERM, stop)
        for _ in range(240):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).read()
                break
            except Exception:
                if child.poll() is not None: sys.exit("synapse exited")
                time.sleep(0.25)
        else:
            stop()
        print(f"PORT {port}", flush=True)
        child.wait()
        """#

    private static let clientScript = #"""
        import hashlib, hmac, json, sys, urllib.parse, urllib.request
        base, command = sys.argv[1], sys.argv[2]
        def call(method, path, body=None, token=None):
            request = urllib.request.Request(base + path, method=method,
                data=None if body is None else json.dumps(body).encode(), headers={"Content-Type": "application/json"})
            if token: request.add_header("Authorization", "Bearer " + token)
            return json.loads(urllib.request.urlopen(request, timeout=30).read() or b"{}")
        if command == "register":
            user, password = sys.argv[3], sys.argv[4]
            nonce = call("GET", "/_synapse/admin/v1/register")["nonce"]
            mac = hmac.new(b"regwatch-test-secret", (nonce + "\x00" + user + "\x00" + password + "\x00notadmin").encode(), hashlib.sha1)
            call("POST", "/_synapse/admin/v1/register",
                 {"nonce": nonce, "username": user, "password": password, "admin": False, "mac": mac.hexdigest()})
            login = call("POST", "/_matrix/client/v3/login",
                         {"type": "m.login.password", "identifier": {"type": "m.id.user", "user": user}, "password": password})
            print(login["access_token"])
        elif command == "create-room":
            print(call("POST", "/_matrix/client/v3/createRoom", {"room_alias_name": sys.argv[3]}, sys.argv[4])["room_id"])
        elif command == "messages":
            room = urllib.parse.quote(sys.argv[3], safe="")
            chunk = call("GET", f"/_matrix/client/v3/rooms/{room}/messages?dir=f&limit=100", token=sys.argv[4])["chunk"]
            print(json.dumps([e for e in chunk if e.get("type") == "m.room.message"]))
        """#
}

/// A WsgiDAV server on 127.0.0.1 serving a folder, with HTTP Basic authentication.
public final class WsgiDAVServer: Sendable {
    /// The port it listens on.
    public var port: Int { server.port }
    /// The folder it serves.
    public let root: URL
    /// `http://127.0.0.1:PORT/path`.
    public func url(for path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    private let server: PythonServerProcess

    /// Starts WsgiDAV over a new empty folder, accepting `user` and `password` only.
    public init(user: String, password: String) throws {
        guard let python = PythonServices.python else {
            throw LoopbackServerError(description: "no .build-python: \(PythonServices.howToInstall)")
        }
        server = try PythonServerProcess(
            script: Self.launcher, name: "wsgidav", folderPrefix: "regwatch-webdav", interpreter: python
        ) { folder in
            let root = folder.file("root")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            return [folder.url.path, root.path, user, password]
        }
        root = server.folder.file("root")
    }

    deinit { stop() }

    /// Stops the server and deletes its folder.
    public func stop() { server.stop() }

    private static let launcher = #"""
        import os, socket, subprocess, sys, time
        folder, root, user, password = sys.argv[1:5]
        probe = socket.socket(); probe.bind(("127.0.0.1", 0)); port = probe.getsockname()[1]; probe.close()
        config = os.path.join(folder, "wsgidav.yaml")
        with open(config, "w") as f:
            f.write(f"""host: 127.0.0.1
        port: {port}
        server: cheroot
        provider_mapping:
          "/": "{root}"
        http_authenticator:
          accept_basic: true
          accept_digest: false
          default_to_digest: false
        simple_dc:
          user_mapping:
            "*":
              "{user}":
                password: "{password}"
        verbose: 1
        """)
        log = open(os.path.join(folder, "wsgidav.out"), "w")
        wsgidav = os.path.join(os.path.dirname(sys.executable), "wsgidav")
        child = subprocess.Popen([wsgidav, "--config", config], stdout=log, stderr=log)
        def stop(*_):
            child.terminate()
            try: child.wait(10)
            except Exception: child.kill()
            sys.exit(0)
        signal.signal(signal.SIGTERM, stop)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if child.poll() is not None: sys.exit("wsgidav exited")
                time.sleep(0.1)
        print(f"PORT {port}", flush=True)
        child.wait()
        """#
}
