import CLibXML2
import Foundation

/// One attribute of a start tag, as Swift strings.
struct XMLAttribute {
    var namespace: String?
    var prefix: String?
    var name: String
    var value: String
}

/// What an `XMLStream` reports, in document order.
protocol XMLStreamHandler: AnyObject {
    func startElement(namespace: String?, prefix: String?, name: String, attributes: [XMLAttribute])
    func endElement()
    func characters(_ bytes: UnsafeBufferPointer<UInt8>)
}

/// libxml2's SAX2 push parser, safely configured, driven chunk by chunk.
///
/// No tree is built: events go straight to the handler, so memory does not grow with the
/// document. Options: `RECOVER` (broken feeds yield what can be read), `NONET`, `NOCDATA`
/// (CDATA arrives as characters), `IGNORE_ENC` (`SourceText` already decided the encoding);
/// never `NOENT`, `DTDLOAD` or `HUGE`. No entity declaration is recorded (no `entityDecl`
/// callback), so no declared entity is ever expanded: external ones (XXE) are never read and
/// nested ones (billion laughs) cost nothing. The process-wide external entity loader
/// refuses everything as a second line of defence.
final class XMLStream {
    private let handler: any XMLStreamHandler
    private var context: xmlParserCtxtPtr?
    /// Element text that goes past libxml2 (see `TextChannel`).
    private let channel = TextChannel()
    /// libxml2 interns names in its dictionary, so one Swift string per distinct pointer suffices.
    private var names: [UnsafeRawPointer: String] = [:]
    private static let recentCount = 64
    /// The cache in front of `names`, owned by this object alone (allocated here, freed in
    /// `deinit`): `let` pointers, so no exclusivity check or copy-on-write test per lookup.
    private let recentKeys: UnsafeMutablePointer<UnsafeRawPointer?> = {
        let keys = UnsafeMutablePointer<UnsafeRawPointer?>.allocate(capacity: recentCount)
        keys.initialize(repeating: nil, count: recentCount)
        return keys
    }()
    private let recentNames: UnsafeMutablePointer<String> = {
        let names = UnsafeMutablePointer<String>.allocate(capacity: recentCount)
        names.initialize(repeating: "", count: recentCount)
        return names
    }()
    /// Errors libxml2 reported (recovered from, or not).
    private(set) var errorCount = 0
    /// The first error's message, for a `malformed` description.
    private(set) var firstError: String?

    init(handler: any XMLStreamHandler, libxml2Encoding: String?) {
        LibXML2.initialize()
        // Errors without a parser context (encoding conversion, "encoder error") would go to
        // stderr through the thread's global handlers, naming no feed: silence them for this
        // thread before every parse (the whole parse runs synchronously on it). Parser errors
        // still come to `serror` below and are recorded.
        cxml_silence_global_errors()
        self.handler = handler
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { ctx, localname, prefix, uri, _, _, attributeCount, _, attributes in
            guard let ctx, let localname else { return }
            XMLStream.with(ctx) { $0.start(localname, prefix, uri, Int(attributeCount), attributes) }
        }
        sax.endElementNs = { ctx, _, _, _ in
            guard let ctx else { return }
            XMLStream.with(ctx) { $0.handler.endElement() }
        }
        sax.characters = { ctx, bytes, length in
            guard let ctx, let bytes, length > 0 else { return }
            XMLStream.with(ctx) { $0.handler.characters(UnsafeBufferPointer(start: bytes, count: Int(length))) }
        }
        sax.cdataBlock = sax.characters
        sax.processingInstruction = { ctx, target, data in
            guard let ctx, let target else { return }
            XMLStream.with(ctx) { $0.processingInstruction(target, data) }
        }
        sax.serror = { ctx, error in
            guard let ctx else { return }
            let stream = Unmanaged<XMLStream>.fromOpaque(ctx).takeUnretainedValue()
            stream.errorCount += 1
            if stream.firstError == nil, let error, let message = error.pointee.message {
                let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
                stream.firstError = "line \(error.pointee.line): \(text)"
            }
        }
        let me = Unmanaged.passUnretained(self).toOpaque()
        context = xmlCreatePushParserCtxt(&sax, me, nil, 0, nil)
        guard let context else { return }
        let options =
            XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue
            | XML_PARSE_IGNORE_ENC.rawValue | XML_PARSE_COMPACT.rawValue
        xmlCtxtUseOptions(context, Int32(bitPattern: options))
        if let libxml2Encoding, let encoder = xmlFindCharEncodingHandler(libxml2Encoding) {
            xmlSwitchToEncoding(context, encoder)
        }
    }

    deinit {
        recentKeys.deinitialize(count: Self.recentCount)
        recentKeys.deallocate()
        recentNames.deinitialize(count: Self.recentCount)
        recentNames.deallocate()
        guard let context else { return }
        // A DOCTYPE with an internal subset makes libxml2 build a document and DTD even in SAX
        // mode; xmlFreeParserCtxt leaves them to the caller (found by FuzzFeedParser's leak check).
        if let document = context.pointee.myDoc {
            context.pointee.myDoc = nil
            xmlFreeDoc(document)
        }
        xmlFreeParserCtxt(context)
    }

    /// Runs `body` on the stream behind a SAX context pointer without retaining it: the
    /// stream owns the parser context, so it outlives every callback (one retain/release pair
    /// per SAX event otherwise, the most frequent calls of a parse).
    @inline(__always)
    private static func with(_ ctx: UnsafeMutableRawPointer, _ body: (XMLStream) -> Void) {
        Unmanaged<XMLStream>.fromOpaque(ctx)._withUnsafeGuaranteedRef(body)
    }

    /// Parses a whole document (without its byte-order mark), in `encoding`: its bytes go
    /// through `SourceText` to libxml2, events to the handler. `sendsText: false` gives
    /// libxml2 all the text itself (tests compare the two).
    func parse(_ bytes: UnsafeBufferPointer<UInt8>, encoding: SourceEncoding, sendsText: Bool = true) {
        var source = SourceText(channel: channel) { self.push($0) }
        source.sendsText = sendsText
        source.run(bytes, encoding: encoding)
        finish()
        channel.clear()
    }

    /// Gives libxml2 the next block of the document.
    private func push(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let context, bytes.count > 0 else { return }
        bytes.withMemoryRebound(to: CChar.self) {
            _ = xmlParseChunk(context, $0.baseAddress, Int32($0.count), 0)
        }
    }

    /// Tells libxml2 the document is complete (unclosed elements get their end events).
    private func finish() {
        guard let context else { return }
        _ = xmlParseChunk(context, nil, 0, 1)
    }

    /// A marker of `SourceText`'s: the text it stands for goes to the handler; any other
    /// processing instruction means nothing to a feed.
    private func processingInstruction(_ target: UnsafePointer<UInt8>, _ data: UnsafePointer<UInt8>?) {
        let marker = TextChannel.target
        for k in 0..<marker.count where target[k] != marker[k] { return }
        guard target[marker.count] == 0, let id = TextChannel.id(fromMarkerData: data) else { return }
        channel.receive(id) { handler.characters($0) }
    }

    private func name(_ pointer: UnsafePointer<UInt8>?) -> String? {
        guard let pointer else { return nil }
        let key = UnsafeRawPointer(pointer)
        // A direct-mapped cache before the dictionary: a feed repeats a dozen names, so almost
        // every event is one pointer comparison instead of a hash and a probe.
        let bits = UInt(bitPattern: key)
        let slot = Int(truncatingIfNeeded: (bits >> 3 ^ bits >> 9) & UInt(Self.recentCount - 1))
        if recentKeys[slot] == key { return recentNames[slot] }
        let string: String
        if let known = names[key] {
            string = known
        } else {
            string = String(cString: pointer)
            names[key] = string
        }
        recentKeys[slot] = key
        recentNames[slot] = string
        return string
    }

    private func start(
        _ localname: UnsafePointer<UInt8>, _ prefix: UnsafePointer<UInt8>?, _ uri: UnsafePointer<UInt8>?,
        _ attributeCount: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    ) {
        var list: [XMLAttribute] = []
        if attributeCount > 0, let attributes {
            list.reserveCapacity(attributeCount)
            for k in 0..<attributeCount {
                // localname, prefix, URI, value start, value end
                let base = attributes + 5 * k
                guard let local = name(base[0]), let start = base[3], let end = base[4] else { continue }
                let value = Self.attributeValue(UnsafeBufferPointer(start: start, count: end - start))
                list.append(XMLAttribute(namespace: name(base[2]), prefix: name(base[1]), name: local, value: value))
            }
        }
        handler.startElement(namespace: name(uri), prefix: name(prefix), name: name(localname)!, attributes: list)
    }
}

extension XMLStream {
    /// An attribute value as libxml2 reports it, with its ampersands decoded.
    ///
    /// Without entity substitution (never asked for: see above), libxml2 2.9 hands an `&`
    /// written as a reference (`&amp;`, `&#38;`) over as the text `&#38;`, so that a tree
    /// builder could store it escaped; every other reference arrives decoded. `SourceText`
    /// leaves no `&` in a value that is not a reference, so each `&#38;` here is one `&` of the
    /// value (`a=1&amp;b=2` → `a=1&b=2`; a written `&amp;#38;` arrives as `&#38;#38;` → `&#38;`).
    static func attributeValue(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let first = bytes.firstIndex(of: 0x26) else { return String(decoding: bytes, as: UTF8.self) }
        var decoded: [UInt8] = Array(bytes[..<first])
        var i = first
        while i < bytes.count {
            if bytes[i] == 0x26, i + 4 < bytes.count, bytes[i + 1] == 0x23, bytes[i + 2] == 0x33, bytes[i + 3] == 0x38,
                bytes[i + 4] == 0x3B
            {  // &#38;
                decoded.append(0x26)
                i += 5
            } else {
                decoded.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }
}

/// Process-wide libxml2 set-up, done once.
enum LibXML2 {
    private static let once: Void = {
        xmlInitParser()
        // Nothing outside the document is ever loaded, whatever a document asks for.
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()

    /// Initialises libxml2 (idempotent, thread-safe through Swift's lazy globals).
    static func initialize() { _ = once }
}
