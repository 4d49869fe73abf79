import Foundation
import UrbanGridCore

/// Why a request failed, in words a dispatcher can act on.
public enum APIError: Error, Sendable, Equatable {
    /// No answer: refused connection, timeout, network down.
    case unreachable(String)
    /// The server answered with an RFC 9457 problem.
    case problem(Problem)
    /// The server answered with an error status and no problem body.
    case status(Int)
    /// The answer was not what the API documents.
    case unreadable(String)

    public var isUnauthorized: Bool {
        switch self {
        case .problem(let p): p.status == 401
        case .status(let s): s == 401
        default: false
        }
    }

    public var isNotFound: Bool {
        switch self {
        case .problem(let p): p.status == 404
        case .status(let s): s == 404
        default: false
        }
    }

    /// One line for the status bar.
    public func message(_ language: Language) -> String {
        switch self {
        case .unreachable(let why):
            language.pick("无法连接服务器:\(why)", "cannot reach the server: \(why)")
        case .problem(let p):
            language == .zh ? p.detailZh : p.detail
        case .status(let s):
            language.pick("服务器出错(HTTP \(s))", "the server failed (HTTP \(s))")
        case .unreadable(let why):
            language.pick("服务器应答无法识别:\(why)", "unexpected answer from the server: \(why)")
        }
    }
}
