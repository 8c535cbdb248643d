/// Element text that `SourceText` hands to the SAX handler directly, past libxml2.
///
/// Why: libxml2 2.9 reads text that is not plain ASCII one character at a time, and a CDATA
/// section three times over (to find its end, to check its UTF-8, to count its lines). French
/// feeds are mostly such text. `SourceText` already reads every byte of it (to repair bad bytes
/// and decode references), so it sends the characters here and gives libxml2 a marker in
/// their place: a processing instruction `<?regwatch-text ID?>` (plus the text's line feeds,
/// so that libxml2's line numbers stay right). When libxml2 reports the marker, `XMLStream`
/// hands the text with that id to the handler as a text event, where libxml2 would have
/// reported it. The parse stays libxml2's: it decides structure, nesting, recovery, and
/// whether the marker (hence the text) is reported at all.
///
/// Owned by one `XMLStream`, used on the thread of one parse.
final class TextChannel {
    /// The target of the marker processing instructions.
    static let target: [UInt8] = Array("regwatch-text".utf8)

    /// Texts sent and not yet received, back to back.
    private var bytes: [UInt8] = []
    /// Where each text sent and not yet received lies in `bytes`, oldest first from `head`.
    private var texts: [(id: Int, end: Int)] = []
    private var head = 0
    private var nextID = 0

    /// Bytes sent and not yet received.
    var pendingBytes: Int { bytes.count }

    /// Keeps `text` until `receive` asks for it; returns its id, for the marker.
    func send(_ text: UnsafeBufferPointer<UInt8>) -> Int {
        let id = nextID
        nextID += 1
        bytes.append(contentsOf: text)
        texts.append((id, bytes.count))
        return id
    }

    /// Gives the text of marker `id` to `body`. Texts sent before it and never asked for
    /// (libxml2 skipped their markers) are dropped, as libxml2 would have dropped the text.
    func receive(_ id: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        while head < texts.count, texts[head].id < id { head += 1 }
        guard head < texts.count, texts[head].id == id else { return }
        let start = head == 0 ? 0 : texts[head - 1].end
        let end = texts[head].end
        head += 1
        bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
        if head == texts.count { clear() }
    }

    /// Drops every text not yet received (libxml2 stopped reading the document).
    func clear() {
        bytes.removeAll(keepingCapacity: true)
        texts.removeAll(keepingCapacity: true)
        head = 0
    }

    /// The id in the data of a marker, or `nil` when the data is not a marker's.
    static func id(fromMarkerData data: UnsafePointer<UInt8>?) -> Int? {
        guard var pointer = data else { return nil }
        var id = 0
        var digits = 0
        while pointer.pointee >= 0x30 && pointer.pointee <= 0x39, digits < 18 {
            id = id * 10 + Int(pointer.pointee - 0x30)
            digits += 1
            pointer += 1
        }
        return digits > 0 ? id : nil
    }
}
