import Foundation

/// Who an email digest is from and to, and when it is written: the `[email]` section at the
/// edge, and the clock.
public struct DigestEnvelope: Sendable, Equatable {
    /// `From:` (`veille@example.org` or `Veille <veille@example.org>`).
    public var from: String
    /// `To:`, one or more addresses.
    public var to: [String]
    /// The `Date:` of the message, also the seed of its Message-ID.
    public var date: Date

    /// Creates an envelope.
    public init(from: String, to: [String], date: Date) {
        self.from = from
        self.to = to
        self.date = date
    }
}

extension WeeklyDigest {
    /// The subject: "Veille réglementaire — Semaine 2025-W49 : <the top title>" (the title cut
    /// to about 70 characters), or "… : rien de nouveau" for an empty week.
    public var emailSubject: String {
        let lead = "\(strings.title) — \(strings.weekLabel(week))"
        let separator = settings.language == .fr ? " : " : ": "
        guard let top = highlights.first?.title else {
            return lead + separator
                + strings.nothingNew.trimmingCharacters(in: CharacterSet(charactersIn: ".")).lowercased()
        }
        return lead + separator + Self.shortened(top, to: 70)
    }

    /// The digest as a complete RFC 5322 message, ready for `sendmail -t` or SMTP: From, To,
    /// Subject (RFC 2047), Date, Message-ID, MIME-Version, and a `multipart/alternative`
    /// body with the text rendering and an HTML rendering, both UTF-8 quoted-printable.
    /// Lines end with CRLF. No feed text reaches a header with a CR or LF in it.
    public func renderEmail(envelope: DigestEnvelope) -> String {
        let boundary = "=_regwatch_\(week)"  // "=_" never occurs in quoted-printable text
        var from = DigestMIME.headerSafe(envelope.from)
        if !from.contains("<") {
            // A bare address gets the digest's title as its display name ("Veille réglementaire").
            from = DigestMIME.encodedWords(strings.title) + " <\(from)>"
        }
        let messageID =
            "<regwatch.\(week).\(Int64(envelope.date.timeIntervalSince1970))@\(DigestMIME.domain(of: from))>"
        let headers = [
            "From: " + from,
            DigestMIME.addressHeader(name: "To", addresses: envelope.to),
            DigestMIME.encodedHeader(name: "Subject", value: emailSubject),
            "Date: " + DigestMIME.date(envelope.date, in: settings.timeZone),
            "Message-ID: " + messageID,
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
            "Content-Language: " + settings.language.rawValue,
            "Auto-Submitted: auto-generated",
        ]
        func part(_ type: String, _ body: String) -> String {
            "--\(boundary)\r\n"
                + "Content-Type: \(type); charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                + DigestMIME.quotedPrintable(body)
                // The CRLF before a boundary belongs to the boundary: this one keeps the body's last line end.
                + "\r\n"
        }
        return headers.joined(separator: "\r\n") + "\r\n\r\n"
            + "This is a MIME message: a plain text part and an HTML part.\r\n\r\n"
            + part("text/plain", renderText())
            + part("text/html", renderHTML())
            + "--\(boundary)--\r\n"
    }

    /// `text` cut at the last word boundary within `length` characters, with "…".
    static func shortened(_ text: String, to length: Int) -> String {
        guard text.count > length else { return text }
        var cut = String(text.prefix(length))
        if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
        while let last = cut.last, ",;:–—-".contains(last) || last == " " { cut.removeLast() }
        return cut + "…"
    }
}
