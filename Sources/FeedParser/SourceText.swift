import Foundation

/// Turns a document's bytes into what libxml2 is given: UTF-8 (unless libxml2 converts an
/// exotic encoding itself), with every entity reference libxml2 could lose rewritten, and the
/// text of elements sent past libxml2 through a `TextChannel`.
///
/// Why references: libxml2 drops undeclared entities (`&eacute;` in a feed without DTD), and
/// in recover mode, once a document is known to be ill-formed, 2.9.x also drops predefined ones
/// (`&amp;`). Character references survive both. So wherever bytes go to libxml2 (attribute
/// values, and all of the document once the structured pass below gives up) `&eacute;` becomes
/// `&#233;`, `&amp;` `&#38;`, a stray `&` (`AT&T`) `&#38;`, and an unknown name (`&foo;`)
/// literal text. Bytes invalid in UTF-8 are read as windows-1252 (a Latin-1 byte in a UTF-8
/// feed is the usual culprit), control characters XML forbids become spaces: the feed is never
/// lost to one bad byte. Comments, and CDATA sections libxml2 reads itself, go as they are.
///
/// Why the channel: libxml2 2.9 reads element text that is not plain ASCII one character at a
/// time (`xmlCurrentChar`), with an event per reference, and CDATA sections three times over.
/// French text is full of accents, escaped HTML of `&lt;`, WordPress content of CDATA. So the
/// text inside the root element that holds any of these, and CDATA sections there, go to the
/// channel as the very characters libxml2 would have reported (references decoded as above,
/// line ends normalised in text as XML does, kept in CDATA as libxml2 2.9 keeps them), and
/// libxml2 gets a marker in their place (see `TextChannel`). Only well-formed markup is
/// stepped over this way: from the first construct that is not (a stray `<`, a DOCTYPE with an
/// internal subset, a name outside ASCII) to the end of the document, bytes are only rewritten
/// in place, as libxml2 would otherwise get them.
///
/// Output goes out in blocks, so memory stays flat.
struct SourceText {
    /// Where the blocks go (libxml2's push parser).
    typealias Sink = (UnsafeBufferPointer<UInt8>) -> Void

    let blockSize = 64 * 1024
    var out: [UInt8] = []
    let sink: Sink
    /// The start of the input bytes not yet copied to `out`: bytes that need no change are
    /// copied in runs, not one by one.
    var run = 0
    /// Where element text goes instead of libxml2; `nil`: everything goes to libxml2.
    let channel: TextChannel?
    /// Whether element text goes to the channel (see above); tests turn it off to check that
    /// the handler sees the same events either way.
    var sendsText = true
    /// Where the element text being written to `out` began, in `out` and in the input; `nil`
    /// while no text is open.
    var openText: (output: Int, input: Int)?
    /// The channel's `pendingBytes`, as of the last send or flush (the only times it changes):
    /// read on every step of the loops, where asking the channel would cost an access check.
    var channelPending = 0

    init(channel: TextChannel? = nil, sink: @escaping Sink) {
        self.sink = sink
        self.channel = channel
        out.reserveCapacity(blockSize + 64)
    }

    /// Feeds all of `input` (without its byte-order mark) through the rewriter to the sink.
    mutating func run(_ input: UnsafeBufferPointer<UInt8>, encoding: SourceEncoding) {
        switch encoding {
        case .utf16LE, .utf16BE:
            let utf8 = Self.utf8(fromUTF16: input, littleEndian: encoding == .utf16LE)
            utf8.withUnsafeBufferPointer { rewrite($0, table: nil, validateUTF8: true) }
        case .utf8:
            rewrite(input, table: nil, validateUTF8: true)
        case .windows1252:
            rewrite(input, table: Self.windows1252, validateUTF8: false)
        case .latin9:
            rewrite(input, table: Self.latin9, validateUTF8: false)
        case .other(let name):
            if let utf8 = Self.utf8(from: input, iconvName: name) {
                utf8.withUnsafeBufferPointer { rewrite($0, table: nil, validateUTF8: true) }
            } else {
                rewrite(input, table: nil, validateUTF8: false)  // libxml2 converts (see `iconvConverts`)
            }
        }
        flush()
    }

    mutating func flush() {
        guard !out.isEmpty else { return }
        out.withUnsafeBufferPointer { sink($0) }
        out.removeAll(keepingCapacity: true)
        // libxml2 reads every marker of a block as the block arrives, unless it stopped
        // reading the document: then nobody will ever ask for the texts.
        if let channel, channel.pendingBytes > 4 * blockSize { channel.clear() }
        channelPending = channel?.pendingBytes ?? 0
    }

    /// Whether the bytes waiting for libxml2 (in `out`, in the input run up to `i`, in the
    /// channel) make a block: then they go out, so memory stays flat whatever the document.
    @inline(__always)
    func blockIsFull(_ i: Int) -> Bool {
        out.count + (i - run) + channelPending >= blockSize
    }

    mutating func beginText(at input: Int) { openText = (out.count, input) }

    /// Sends the text written to `out` since `beginText` (its input ending at `input`) to the
    /// channel, and writes its marker in its place.
    mutating func endText(_ b: UnsafeBufferPointer<UInt8>, at input: Int) {
        guard let (output, start) = openText, let channel else { return }
        openText = nil
        guard out.count > output else { return }
        let id = out.withUnsafeBufferPointer { channel.send(UnsafeBufferPointer(rebasing: $0[output...])) }
        channelPending = channel.pendingBytes
        out.removeLast(out.count - output)
        out.append(contentsOf: Self.markerOpening)
        var digits: [UInt8] = []
        var rest = id
        repeat {
            digits.append(0x30 + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        out.append(contentsOf: digits.reversed())
        // The line feeds of the input text, so that libxml2 counts the lines it would have.
        var k = start
        while let base = b.baseAddress, k < input, let found = memchr(base + k, 0x0A, input - k) {
            out.append(0x0A)
            k = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
        }
        out.append(0x3F)  // ?>
        out.append(0x3E)
    }

    /// Ends the open text at input index `i` and sends the block, then goes on with a new
    /// text from there: one text may be longer than a block.
    mutating func cutText(_ b: UnsafeBufferPointer<UInt8>, at i: Int) {
        copyRun(b, upTo: i)
        endText(b, at: i)
        flush()
        beginText(at: i)
    }

    static let markerOpening: [UInt8] = Array("<?".utf8) + TextChannel.target + [0x20]

    /// Copies the pending input bytes up to `end` (they need no change) to the output.
    @inline(__always)
    mutating func copyRun(_ b: UnsafeBufferPointer<UInt8>, upTo end: Int) {
        guard end > run else { return }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<end]))
        run = end
    }

    mutating func emit(scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    mutating func emitCharacterReference(_ scalar: UInt32) {
        out.append(0x26)  // &#
        out.append(0x23)
        var divisor: UInt32 = 1
        while divisor <= scalar / 10 { divisor *= 10 }
        var rest = scalar
        while divisor > 0 {
            out.append(0x30 + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
        out.append(0x3B)
    }
}
