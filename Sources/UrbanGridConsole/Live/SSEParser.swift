import Foundation

/// One Server-Sent Events message.
public struct SSEMessage: Sendable, Equatable {
    public var id: String?
    public var event: String
    public var data: String
    public init(id: String?, event: String, data: String) { self.id = id; self.event = event; self.data = data }
}

/// An incremental parser of the `text/event-stream` format (WHATWG HTML §9.2): bytes come in any
/// chunking, lines end in LF, CR or CRLF, a blank line dispatches the message, lines starting with
/// ":" are comments. `lastEventID` keeps the id to resume from, as a browser does.
public struct SSEParser: Sendable {
    private var buffer: [UInt8] = []
    private var pendingCR = false
    private var data: [String] = []
    private var event = ""
    private var id: String?
    public private(set) var lastEventID: String?
    /// The `retry:` the server asked for, in milliseconds.
    public private(set) var retryMilliseconds: Int?
    /// Comments seen since the last call (the server greets with ": connected").
    public private(set) var comments: [String] = []

    public init() {}

    public mutating func feed(_ chunk: some Sequence<UInt8>) -> [SSEMessage] {
        var out: [SSEMessage] = []
        comments.removeAll()
        for byte in chunk {
            if pendingCR {
                pendingCR = false
                if byte == 0x0A { continue }
            }
            if byte == 0x0A || byte == 0x0D {
                pendingCR = byte == 0x0D
                if let m = take(line: String(decoding: buffer, as: UTF8.self)) { out.append(m) }
                buffer.removeAll(keepingCapacity: true)
            } else {
                buffer.append(byte)
            }
        }
        return out
    }

    private mutating func take(line: String) -> SSEMessage? {
        if line.isEmpty {
            defer { data = []; event = "" }
            guard !data.isEmpty else { return nil }
            if let id { lastEventID = id }
            return SSEMessage(id: id, event: event.isEmpty ? "message" : event, data: data.joined(separator: "\n"))
        }
        if line.hasPrefix(":") {
            comments.append(String(line.dropFirst()).trimmingCharacters(in: .whitespaces))
            return nil
        }
        let field: Substring, value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            let rest = line[line.index(after: colon)...]
            value = rest.hasPrefix(" ") ? rest.dropFirst() : rest
        } else {
            field = Substring(line); value = ""
        }
        switch field {
        case "data": data.append(String(value))
        case "event": event = String(value)
        case "id" where !value.contains("\0"): id = String(value); lastEventID = id
        case "retry": if let ms = Int(value) { retryMilliseconds = ms }
        default: break
        }
        return nil
    }
}
