import Foundation
import UrbanGridCore

/// One line of styled text.
public struct StyledLine: Sendable, Equatable {
    public var segments: [Segment]
    public struct Segment: Sendable, Equatable {
        public var text: String
        public var style: Style
    }
    public init(_ segments: [(String, Style)]) { self.segments = segments.map { Segment(text: $0.0, style: $0.1) } }
    public var text: String { segments.map(\.text).joined() }
}

/// The case screen's text: every field as "label  value" with the labels padded to one display
/// width (Chinese labels are two columns a character), then the timeline, photos and duplicates.
enum DetailLines {
    static func build(_ d: ConsoleModel.Detail, language l: Language, width: Int) -> [StyledLine] {
        let c = d.view
        var fields: [(Label, String, Style)] = [
            (.fieldNumber, c.number, .bold),
            (.fieldStatus, l.name(c.status), .bold),
            (.fieldKind, l.name(c.kind), .plain),
            (.fieldType, "\(c.code) \(l == .zh ? c.typeNameZh : c.typeNameEn)", .plain),
            (.fieldSource, l.name(c.source), .plain),
            (.fieldUrgent, c.urgent ? Label.yes.text(l) : Label.no.text(l), c.urgent ? Style(.red, bold: true) : .plain),
        ]
        if c.selfHandled { fields.append((.fieldSelfHandled, Label.yes.text(l), .plain)) }
        if let s = c.description, !s.isEmpty { fields.append((.fieldDescription, s, .plain)) }
        if let s = c.address, !s.isEmpty { fields.append((.fieldAddress, s, .plain)) }
        if let g = c.geocoded, !g.text.isEmpty { fields.append((.fieldGeocoded, g.text, .plain)) }
        fields += [
            (.fieldStreet, "\(c.street.code) \(l == .zh ? c.street.nameZh : c.street.nameEn)", .plain),
            (.fieldCommunity, "\(c.community.code) \(l == .zh ? c.community.nameZh : c.community.nameEn)", .plain),
            (.fieldGrid, "\(c.grid.code) (\(Int(c.grid.areaM2.rounded())) m²)", .plain),
            (.fieldLocation, String(format: "%.6f, %.6f", c.lon, c.lat), .plain),
        ]
        if let comp = c.component {
            let name = l == .zh ? comp.typeNameZh : comp.typeNameEn
            fields.append((.fieldComponent, "\(comp.id) \(name) \(comp.name) [\(comp.status)] \(String(format: "%.0f", comp.distanceM)) m", .plain))
            if let departments = d.componentDepartments {
                fields.append((.fieldComponentDepartments, departments.text(l), .plain))
            }
        }
        if let dept = c.department { fields.append((.fieldDepartment, dept, .bold)) }
        if let s = c.suggestedDepartment {
            fields.append((.fieldSuggested, "\(s.department) (\(s.basis.rawValue)\(s.ruleID.map { " \($0)" } ?? ""))", .plain))
        }
        if c.flaggedForDispatcher { fields.append((.fieldSuggested, Label.fieldFlagged.text(l), Style(.yellow, bold: true))) }
        if let step = c.step {
            let tint = QueueView.tint(step.light)
            fields += [
                (.fieldStep, "\(l.name(step.node)) (\(l.limit(step.limit)))", .plain),
                (.fieldDeadline, DurationText.timestamp(step.deadline), .plain),
                (.fieldRemaining, DurationText.remaining(seconds: step.remainingSeconds, paused: step.paused, language: l), Style(tint, bold: true)),
                (.fieldLight, "● " + l.name(step.light), Style(tint, bold: true)),
            ]
        }
        if c.reworkCount > 0 { fields.append((.fieldRework, String(c.reworkCount), .plain)) }
        if let r = c.reporter {
            fields.append((.fieldReporter, [r.name, r.phone].compactMap { $0 }.joined(separator: " "), .plain))
        }
        fields.append((.fieldCreated, DurationText.timestamp(c.createdAt), .plain))
        fields.append((.fieldUpdated, DurationText.timestamp(c.updatedAt), .plain))
        let hints = KeyMap.actionHints(c.allowedActions, language: l)
        fields.append((.fieldActions, hints.isEmpty ? "—" : hints.joined(separator: "  "), Style(.yellow)))

        let labelWidth = fields.map { DisplayWidth.of($0.0.text(l)) }.max() ?? 0
        let valueWidth = max(8, width - labelWidth - 2)
        var lines: [StyledLine] = []
        for (label, value, style) in fields {
            for (i, part) in TextFit.wrap(value, width: valueWidth).enumerated() {
                let head = i == 0 ? TextFit.fit(label.text(l), to: labelWidth) : String(repeating: " ", count: labelWidth)
                lines.append(StyledLine([(head + "  ", Style(.cyan)), (part, style)]))
            }
        }

        lines.append(section(.sectionTimeline, l))
        let timeline = c.timeline ?? []
        if timeline.isEmpty { lines.append(StyledLine([("  " + Label.noTimeline.text(l), Style(dim: true))])) }
        for e in timeline {
            let summary = l == .zh ? e.summaryZh : e.summaryEn
            let head = "  \(DurationText.timestamp(e.at))  \(e.actor) (\(l.name(e.actorRole)))  "
            let text = head + summary + (e.note.map { " — \($0)" } ?? "")
            for (i, part) in TextFit.wrap(text, width: max(8, width)).enumerated() {
                lines.append(StyledLine([(i == 0 ? part : "    " + part, .plain)]))
            }
        }

        lines.append(section(.sectionPhotos, l))
        switch d.photos {
        case nil: lines.append(StyledLine([("  " + Label.loading.text(l), Style(dim: true))]))
        case let photos? where photos.isEmpty: lines.append(StyledLine([("  " + Label.noPhotos.text(l), Style(dim: true))]))
        case let photos?:
            for p in photos {
                let kb = max(1, (p.size + 512) / 1024)
                lines.append(StyledLine([("  #\(p.id) \(p.step) \(p.filename ?? p.contentType) \(kb) KB \(p.uploadedBy) \(p.at)", .plain)]))
            }
        }

        lines.append(section(.sectionDuplicates, l))
        if c.duplicates.isEmpty { lines.append(StyledLine([("  " + Label.noDuplicates.text(l), Style(dim: true))])) }
        for dup in c.duplicates {
            let same = dup.sameComponent ? l.pick(" 同一部件", " same component") : ""
            lines.append(StyledLine([("  \(dup.number) \(l.name(dup.status)) \(String(format: "%.0f", dup.distanceM)) m\(same)", Style(.magenta))]))
        }
        return lines
    }

    static func section(_ label: Label, _ l: Language) -> StyledLine {
        StyledLine([("── " + label.text(l) + " ──", Style(.title, bold: true))])
    }
}
