import Foundation
import Hummingbird
import UrbanGridCore
import UrbanGridStore

enum OpenAPIDocument {
    static func build(profile: CityProfile) -> ByteBuffer { ByteBuffer(string: "{}") }
}
