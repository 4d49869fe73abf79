import Foundation
import Testing
import UrbanGridCore
@testable import UrbanGridConsole

// The event stream parser and the reconnection schedule.

@Suite struct ConsoleLiveTests {
    @Test func sseMessagesSurviveAnyChunking() {
        let stream = "retry: 2000\n: connected\n\nid: 41\nevent: case\ndata: {\"a\":1}\n\r\nid: 42\r\nevent: case\r\ndata: one\r\ndata: two\r\n\r\n: keep-alive\n\n"
        let bytes = Array(stream.utf8)
        for size in [1, 2, 3, 7, bytes.count] {
            var p = SSEParser()
            var got: [SSEMessage] = []
            var comments: [String] = []
            var i = 0
            while i < bytes.count {
                got += p.feed(bytes[i..<min(i + size, bytes.count)])
                comments += p.comments
                i += size
            }
            #expect(got == [SSEMessage(id: "41", event: "case", data: "{\"a\":1}"),
                            SSEMessage(id: "42", event: "case", data: "one\ntwo")], "chunk size \(size)")
            #expect(p.lastEventID == "42")
            #expect(p.retryMilliseconds == 2000)
            #expect(comments == ["connected", "keep-alive"])
        }
    }

    @Test func backoffDoublesToACeilingAndResets() {
        var b = ReconnectBackoff(first: 0.5, ceiling: 8)
        #expect((0..<7).map { _ in b.next() } == [0.5, 1, 2, 4, 8, 8, 8])
        b.reset()
        #expect(b.next() == 0.5)
        #expect(b.next(jitter: 1) == 0.75)                 // a quarter less at most
        #expect(ReconnectBackoff.delay(attempt: 1000, first: 0.5, ceiling: 8) == 8)
    }
}
