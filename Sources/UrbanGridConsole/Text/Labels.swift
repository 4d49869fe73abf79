/// Every fixed string the console shows, in Chinese and English. One switch, so a label cannot be
/// missing in either language.
public enum Label: CaseIterable, Sendable {
    case appTitle, online, offline, reconnecting, queueTitle, caseTitle, emptyQueue, loading
    case colLight, colNumber, colStatus, colType, colPlace, colRemaining, colDepartment
    case filters, filterAll, filterRoleQueue, filterAllOpen, filterText, filterStatus, filterDepartment
    case filterStreet, filterLight, filterCleared
    case keyOpen, keyBack, keyQuit, keySearch, keyFilter, keyClear, keyMap, keyHelp, keyReload, keyMove
    case confirm, cancel, note, noteRequired, department, suggested, chooseDepartment, confirmAction
    case fieldNumber, fieldStatus, fieldKind, fieldType, fieldSource, fieldUrgent, fieldSelfHandled
    case fieldDescription, fieldAddress, fieldGeocoded, fieldGrid, fieldCommunity, fieldStreet, fieldLocation
    case fieldComponent, fieldComponentDepartments, fieldDepartment, fieldSuggested, fieldFlagged, fieldRule, fieldStep, fieldDeadline
    case fieldRemaining, fieldLight, fieldRework, fieldReporter, fieldCreated, fieldUpdated, fieldActions
    case sectionTimeline, sectionPhotos, sectionDuplicates, sectionMap, noPhotos, noDuplicates, noTimeline
    case yes, no, paused, overdue, mapUnavailable, mapLoading, mapLegendCase, mapLegendComponent, mapLegendOpenCase
    case actionDone, actionNotAllowed, caseGone, helpTitle, helpDismiss, loginExpired
    case rankingTitle, colRank, colName, colScore, colGrade, noRanking, keyRanking, keyKind, keyMonth

    public func text(_ language: Language) -> String {
        let (zh, en) = pair
        return language == .zh ? zh : en
    }

    var pair: (String, String) {
        switch self {
        case .appTitle: ("数字城管 指挥中心", "UrbanGrid command centre")
        case .online: ("● 在线", "● online")
        case .offline: ("○ 离线", "○ offline")
        case .reconnecting: ("正在重连", "reconnecting")
        case .queueTitle: ("待办案卷", "Queue")
        case .caseTitle: ("案卷", "Case")
        case .emptyQueue: ("没有待办案卷", "Nothing waits for you")
        case .loading: ("正在加载…", "loading…")
        case .colLight: ("灯", "Lt")
        case .colNumber: ("案卷号", "Number")
        case .colStatus: ("状态", "Status")
        case .colType: ("类型", "Type")
        case .colPlace: ("街道/社区", "Street/community")
        case .colRemaining: ("剩余", "Left")
        case .colDepartment: ("部门", "Dept")
        case .filters: ("筛选", "Filters")
        case .filterAll: ("全部", "all")
        case .filterRoleQueue: ("本岗待办", "my queue")
        case .filterAllOpen: ("全部未结", "all open")
        case .filterText: ("搜索", "Search")
        case .filterStatus: ("状态", "Status")
        case .filterDepartment: ("部门", "Department")
        case .filterStreet: ("街道", "Street")
        case .filterLight: ("灯号", "Light")
        case .filterCleared: ("已清除筛选", "filters cleared")
        case .keyOpen: ("详情", "open")
        case .keyBack: ("返回", "back")
        case .keyQuit: ("退出", "quit")
        case .keySearch: ("搜索", "search")
        case .keyFilter: ("筛选", "filter")
        case .keyClear: ("清除", "clear")
        case .keyMap: ("地图", "map")
        case .keyHelp: ("帮助", "help")
        case .keyReload: ("刷新", "reload")
        case .keyMove: ("移动", "move")
        case .confirm: ("确认", "confirm")
        case .cancel: ("取消", "cancel")
        case .note: ("意见", "Note")
        case .noteRequired: ("请填写意见", "a note is required")
        case .department: ("部门", "Department")
        case .suggested: ("建议", "suggested")
        case .chooseDepartment: ("选择部门", "choose a department")
        case .confirmAction: ("确认操作", "Confirm")
        case .fieldNumber: ("案卷号", "Number")
        case .fieldStatus: ("状态", "Status")
        case .fieldKind: ("类别", "Kind")
        case .fieldType: ("类型", "Type")
        case .fieldSource: ("来源", "Source")
        case .fieldUrgent: ("紧急", "Urgent")
        case .fieldSelfHandled: ("自处理", "Self-handled")
        case .fieldDescription: ("描述", "Description")
        case .fieldAddress: ("地址", "Address")
        case .fieldGeocoded: ("门牌", "Geocoded")
        case .fieldGrid: ("网格", "Grid")
        case .fieldCommunity: ("社区", "Community")
        case .fieldStreet: ("街道", "Street")
        case .fieldLocation: ("坐标", "Location")
        case .fieldComponent: ("部件", "Component")
        case .fieldComponentDepartments: ("部件部门", "Component depts")
        case .fieldDepartment: ("处置部门", "Department")
        case .fieldSuggested: ("建议部门", "Suggested")
        case .fieldFlagged: ("无匹配规则,请派遣员判断", "no rule matched: dispatcher to decide")
        case .fieldRule: ("派遣规则", "Rule")
        case .fieldStep: ("环节", "Step")
        case .fieldDeadline: ("时限", "Deadline")
        case .fieldRemaining: ("剩余", "Remaining")
        case .fieldLight: ("灯号", "Light")
        case .fieldRework: ("返工次数", "Reworks")
        case .fieldReporter: ("举报人", "Reporter")
        case .fieldCreated: ("上报时间", "Reported")
        case .fieldUpdated: ("更新时间", "Updated")
        case .fieldActions: ("可执行", "Actions")
        case .sectionTimeline: ("处理过程", "Timeline")
        case .sectionPhotos: ("照片", "Photos")
        case .sectionDuplicates: ("疑似重复", "Possible duplicates")
        case .sectionMap: ("位置", "Map")
        case .noPhotos: ("无照片", "no photos")
        case .noDuplicates: ("无", "none")
        case .noTimeline: ("无记录", "no entries")
        case .yes: ("是", "yes")
        case .no: ("否", "no")
        case .paused: ("暂停", "paused")
        case .overdue: ("超", "over")
        case .mapUnavailable: ("地图不可用", "map unavailable")
        case .mapLoading: ("地图加载中…", "loading map…")
        case .mapLegendCase: ("本案", "case")
        case .mapLegendComponent: ("部件", "component")
        case .mapLegendOpenCase: ("附近案卷", "open case")
        case .actionDone: ("已完成", "done")
        case .actionNotAllowed: ("当前不能执行", "not allowed now")
        case .caseGone: ("案卷已不在队列中", "the case left the queue")
        case .helpTitle: ("按键说明", "Keys")
        case .helpDismiss: ("按任意键关闭", "press any key")
        case .rankingTitle: ("综合评价排名", "Evaluation ranking")
        case .colRank: ("排名", "Rank")
        case .colName: ("名称", "Name")
        case .colScore: ("得分", "Score")
        case .colGrade: ("等级", "Grade")
        case .noRanking: ("本期无评价结果", "nothing evaluated in this period")
        case .keyRanking: ("排名", "ranking")
        case .keyKind: ("对象", "object")
        case .keyMonth: ("月份", "month")
        case .loginExpired: ("登录已失效,请重新启动控制台登录", "session expired: restart the console to log in")
        }
    }
}
