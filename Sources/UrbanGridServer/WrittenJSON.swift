import Hummingbird
import UrbanGridCore

extension Response {
    /// An answer written with `JSONWriter`, for the hot paths (locate, intake), where the router's
    /// `JSONEncoder` costs more than the work behind the answer.
    static func json(_ value: some JSONWritable, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: value.jsonBytes)))
    }
}
