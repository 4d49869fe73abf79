/// A component's state (部件状态), GB/T 47678.5 table 2.
public enum ComponentStatus: String, Sendable, CaseIterable {
    case intact = "完好", damaged = "破损", lost = "丢失", abandoned = "废弃", removed = "移除"
}
