// The daemon's `STATUS=` line (what `systemctl status regwatch` shows), in both languages.

extension Wording {
    /// "42 feeds, 3 failing, next poll 10:42"; `nextPoll` is "10:42" or "2026-11-24 05:15", or
    /// `nil` when no feed is enabled.
    static func daemonStatus(feeds: Int, failing: Int, nextPoll: String?) -> Wording {
        Wording(
            "\(feeds) flux, \(failing) en échec, " + (nextPoll.map { "prochaine lecture \($0)" } ?? "aucun flux actif"),
            "\(feeds) feed\(feeds == 1 ? "" : "s"), \(failing) failing, "
                + (nextPoll.map { "next poll \($0)" } ?? "no feed enabled"))
    }
    static let daemonStarting = Wording(
        "configuration chargée, première lecture en cours", "configuration loaded, first poll starting")
    /// What follows the status line while a feeds.toml edit is refused: its first problem.
    static func configEditRejected(_ problem: Wording) -> Wording {
        let flat = Wording(
            problem.french.split(whereSeparator: \.isNewline).joined(separator: " "),
            problem.english.split(whereSeparator: \.isNewline).joined(separator: " "))
        return Wording(
            "; modification de feeds.toml refusée, l'ancienne configuration reste : \(flat.french)",
            "; feeds.toml edit rejected, previous config kept: \(flat.english)")
    }
}
