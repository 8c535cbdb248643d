import Foundation

extension AuditReport {
    /// The record as CommonMark (tables for sources and digests, one list per month): feed
    /// text escaped as in the digest, so no feed can inject links, HTML or formatting.
    ///
    /// - Parameter labels: topic labels by id (`[[topics]] label`).
    public func renderMarkdown(labels: [TopicID: String]) -> String {
        typealias MD = DigestMarkdown
        func cell(_ text: String) -> String { MD.escape(text, atLineStart: false) }
        var blocks: [String] = []
        blocks.append("# " + cell(Self.title))
        blocks.append(MD.escape(Self.subtitle) + "\\\n" + MD.escape(periodLine) + "\\\n" + MD.escape(generatedLine))
        blocks.append(MD.escape(summaryLine))

        blocks.append("## 1\\. Sources surveillées")
        if watchedSources.isEmpty {
            blocks.append("Aucune source.")
        } else {
            var rows = [
                "| Source | Adresse | Thèmes | Suivie | Relevés | Échecs | Périodes d’échec |",
                "|---|---|---|---|---|---|---|",
            ]
            for source in watchedSources {
                let name = cell(source.name) + (statusNote(source).map { " (" + cell($0) + ")" } ?? "")
                rows.append(
                    "| \(name) | \(MD.code(source.url)) | \(cell(topicLabels(source.topics, labels: labels))) | "
                        + "\(cell(followedLine(source))) | \(source.fetches) | \(source.failedFetches) | \(cell(failingLine(source))) |"
                )
            }
            blocks.append(rows.joined(separator: "\n"))
        }
        if let disabledLine { blocks.append(MD.escape(disabledLine)) }

        blocks.append("## 2\\. Synthèses produites")
        if digests.isEmpty {
            blocks.append("Aucune synthèse sur la période.")
        } else {
            var rows = ["| Semaine | Établie le | Envoyée le | Destinataires | Articles |", "|---|---|---|---|---|"]
            for digest in digests {
                rows.append(
                    "| \(cell(weekLine(digest))) | \(cell(dateTime(digest.builtAt))) | \(cell(sentLine(digest))) | "
                        + "\(cell(digest.sentTo ?? "—")) | \(digest.items) |")
            }
            blocks.append(rows.joined(separator: "\n"))
        }

        if !deliveries.isEmpty {
            blocks.append("Diffusion à l’équipe :")
            var rows = ["| Semaine | Destination | Type | Le | Résultat |", "|---|---|---|---|---|"]
            for delivery in deliveries {
                rows.append(
                    "| \(cell(delivery.week)) | \(cell(delivery.target)) | \(cell(delivery.type)) | "
                        + "\(cell(dateTime(delivery.time))) | \(cell(deliveryOutcome(delivery))) |")
            }
            blocks.append(rows.joined(separator: "\n"))
        }

        blocks.append("## 3\\. Articles traités")
        if groups.isEmpty { blocks.append("Aucune décision enregistrée sur la période.") }
        for group in groups {
            blocks.append("### " + cell(group.label))
            for month in group.months {
                blocks.append("#### " + cell(Self.monthLabel(month.month)))
                blocks += month.items.map { item in
                    var lines = [
                        "- **" + MD.link(item.title.isEmpty ? "(sans titre)" : item.title, to: item.link) + "** — "
                            + cell(itemMeta(item, labels: labels))
                    ]
                    lines.append("  " + cell(stateLine(item)))
                    lines += item.history.map { "  - " + cell(changeLine($0)) }
                    return lines.joined(separator: "\n")
                }
            }
        }
        blocks.append("---")
        blocks.append(
            "*"
                + cell(
                    "Registre produit par regwatch (watchctl audit) depuis sa base : sources, relevés, synthèses et décisions datées."
                ) + "*")
        return blocks.joined(separator: "\n\n") + "\n"
    }
}
