import Foundation
import UrbanGridCore

/// Everything the console shows, changed only by key presses (`handle`) and by what the network
/// brings (`receive`); both return the requests to make. Pure, so the whole console can be driven
/// in tests without a terminal or a server.
public struct ConsoleModel: Sendable {
    public enum Screen: Sendable, Equatable {
        case queue
        case detail(Int64)
        case ranking
    }

    /// The event stream's state, shown in the header.
    public enum Link: Sendable, Equatable {
        case connecting
        case online
        case offline(reason: String, retryIn: Double?)
    }

    /// The open case: its full view (timeline included), photos and map.
    public struct Detail: Sendable {
        public var view: CaseView
        public var photos: [PhotoItem]?
        /// The departments of the case's component, read from the components collection.
        public var componentDepartments: ComponentDepartments?
        public var map: MapState = .loading
        public var scroll = 0
        /// On a narrow terminal the body shows either the details or the map.
        public var showMap = false
    }

    public struct StatusLine: Sendable, Equatable {
        public var text: String
        public var isError: Bool
    }

    public var language: Language
    public var user: SessionUser
    public var server: String
    public var width = 80
    public var height = 24
    public var filter = QueueFilter()
    public var queue = QueueList()
    public var queueLoading = true
    public var screen: Screen = .queue
    public var detail: Detail?
    public var dialog: Dialog?
    public var status: StatusLine?
    public var link: Link = .connecting
    public var departments: [Department] = []
    /// The audit sequence number of the last event applied.
    public var lastEventSeq: Int64?
    /// Street codes and names seen in loaded cases, for the street filter.
    public var streets: [String: NamedArea] = [:]
    /// The ranking screen's object, month and rows; kept when leaving it, so it reopens where it was.
    public var ranking: RankingState?

    public init(language: Language, user: SessionUser, server: String) {
        self.language = language; self.user = user; self.server = server
    }

    /// The commands to run at start.
    public static let startCommands: [Command] = [.loadQueue, .loadDepartments]

    public mutating func resize(width: Int, height: Int) {
        self.width = max(1, width); self.height = max(1, height)
        queue.scroll(rows: ScreenLayout(width: self.width, height: self.height).listRows)
    }

    mutating func say(_ text: String, error: Bool = false) { status = StatusLine(text: text, isError: error) }

    /// The case the action keys apply to: the open one, else the selected row.
    var currentCase: CaseView? {
        if case .detail = screen, let detail { return detail.view }
        if screen == .ranking { return nil }
        return queue.selectedCase
    }
}

/// Where things go on the screen: header, list or body, status line and a two-line help bar.
public struct ScreenLayout: Sendable, Equatable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) { self.width = width; self.height = height }

    public var headerRow: Int { 0 }
    /// The queue's filter line and the case screen's title line.
    public var subheaderRow: Int { 1 }
    public var columnTitleRow: Int { 2 }
    public var firstListRow: Int { 3 }
    public var statusRow: Int { max(0, height - 3) }
    public var helpRows: ClosedRange<Int> { max(0, height - 2)...max(0, height - 1) }
    public var listRows: Int { max(0, statusRow - firstListRow) }
    /// The case screen's body: from the row below its title to the status line.
    public var bodyRows: Range<Int> { 2..<max(2, statusRow) }
    /// Wide terminals show the map beside the details.
    public var splitsCaseScreen: Bool { width >= 110 }
    public var mapColumns: Int { splitsCaseScreen ? min(64, width * 45 / 100) : width }
    /// The details' width: all of it, or what the map leaves beside a one-column rule.
    public var detailColumns: Int { splitsCaseScreen ? width - mapColumns - 1 : width }
}
