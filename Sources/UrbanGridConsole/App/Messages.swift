import UrbanGridCore

/// Work the model asks the runner to do (network requests, leaving).
public enum Command: Sendable, Equatable {
    case loadQueue
    /// The case with its timeline, photos and map, for the case screen.
    case openCase(Int64)
    /// Fetch one case again after the event stream said it changed.
    case refreshCase(Int64)
    case act(Int64, CaseAction, ActionInput)
    case loadDepartments
    /// The evaluation of one kind of object for one month, for the ranking screen.
    case loadRanking(EvaluationObject, RankingMonth)
    case quit
}

/// What comes back to the model: answers to commands and the event stream's signals.
public enum Inbound: Sendable {
    case queue(Result<[CaseView], APIError>)
    case detail(Result<CaseView, APIError>)
    case refreshed(Int64, Result<CaseView, APIError>)
    case photos(Int64, [PhotoItem])
    case componentDepartments(Int64, ComponentDepartments)
    case map(Int64, MapState)
    case departments([Department])
    case acted(Int64, CaseAction, Result<CaseView, APIError>)
    case stream(StreamSignal)
    case ranking(EvaluationObject, RankingMonth, Result<[EvaluationRow], APIError>)
}
