import Foundation

extension AuditReport {
    /// The record as one self-contained, printable HTML page: a `<style>` block (A4 pages,
    /// tables that break cleanly), no script, no image, no font, no link to anything: item
    /// addresses are printed as text, so the page renders offline and prints the same
    /// everywhere. Every piece of feed text is escaped.
    ///
    /// - Parameter labels: topic labels by id (`[[topics]] label`).
    public func renderHTML(labels: [TopicID: String]) -> String {
        typealias H = DigestHTML
        func e(_ text: String) -> String { H.escape(text) }
        var html: [String] = [
            "<!DOCTYPE html>",
            "<html lang=\"fr\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            "<title>\(e(Self.title)) — \(e(period.firstDay ?? "début")) au \(e(period.lastDay))</title>",
            "<style>",
            Self.css,
            "</style>",
            "</head>",
            "<body>",
            "<h1>\(e(Self.title))</h1>",
            "<p class=\"meta\">\(e(Self.subtitle))<br>\(e(periodLine))<br>\(e(generatedLine))</p>",
            "<p class=\"summary\">\(e(summaryLine))</p>",
            "<h2>1. Sources surveillées</h2>",
        ]
        if watchedSources.isEmpty {
            html.append("<p>Aucune source.</p>")
        } else {
            html += Self.table(
                ["Source", "Thèmes", "Suivie", "Relevés", "Échecs", "Périodes d’échec"],
                watchedSources.map { source in
                    let note = statusNote(source).map { "<br><span class=\"note\">\(e($0))</span>" } ?? ""
                    return "<td>\(e(source.name))<br><span class=\"url\">\(e(source.url))</span>\(note)</td>"
                        + "<td>\(e(topicLabels(source.topics, labels: labels)))</td><td>\(e(followedLine(source)))</td>"
                        + "<td class=\"n\">\(source.fetches)</td><td class=\"n\">\(source.failedFetches)</td>"
                        + "<td>\(e(failingLine(source)))</td>"
                })
        }
        if let disabledLine { html.append("<p>\(e(disabledLine))</p>") }

        html.append("<h2>2. Synthèses produites</h2>")
        if digests.isEmpty {
            html.append("<p>Aucune synthèse sur la période.</p>")
        } else {
            html += Self.table(
                ["Semaine", "Établie le", "Envoyée le", "Destinataires", "Articles"],
                digests.map { digest in
                    "<td>\(e(weekLine(digest)))</td><td>\(e(dateTime(digest.builtAt)))</td><td>\(e(sentLine(digest)))</td>"
                        + "<td>\(e(digest.sentTo ?? "—"))</td><td class=\"n\">\(digest.items)</td>"
                })
        }

        if !deliveries.isEmpty {
            html.append("<p>Diffusion à l’équipe :</p>")
            html += Self.table(
                ["Semaine", "Destination", "Type", "Le", "Résultat"],
                deliveries.map { delivery in
                    "<td>\(e(delivery.week))</td><td>\(e(delivery.target))</td><td>\(e(delivery.type))</td>"
                        + "<td>\(e(dateTime(delivery.time)))</td><td>\(e(deliveryOutcome(delivery)))</td>"
                })
        }

        html.append("<h2>3. Articles traités</h2>")
        if groups.isEmpty { html.append("<p>Aucune décision enregistrée sur la période.</p>") }
        for group in groups {
            html.append("<h3>\(e(group.label))</h3>")
            for month in group.months {
                html.append("<h4>\(e(Self.monthLabel(month.month)))</h4>")
                for item in month.items {
                    html.append("<div class=\"item\">")
                    html.append("<p class=\"title\">\(e(item.title.isEmpty ? "(sans titre)" : item.title))</p>")
                    html.append("<p class=\"meta\">\(e(itemMeta(item, labels: labels)))</p>")
                    if let link = item.link { html.append("<p class=\"url\">\(e(link))</p>") }
                    html.append("<p class=\"state\">\(e(stateLine(item)))</p>")
                    html.append("<ul>")
                    html += item.history.map { "<li>\(e(changeLine($0)))</li>" }
                    html.append("</ul>")
                    html.append("</div>")
                }
            }
        }
        html.append(
            "<p class=\"footer\">Registre produit par regwatch (watchctl audit) depuis sa base : sources, relevés, "
                + "synthèses et décisions datées.</p>")
        html.append("</body>")
        html.append("</html>")
        return html.joined(separator: "\n") + "\n"
    }

    /// A table's lines: the header cells (plain text, escaped here) and each row's cells
    /// (already HTML).
    static func table(_ header: [String], _ rows: [String]) -> [String] {
        [
            "<table>", "<thead><tr>" + header.map { "<th>\(DigestHTML.escape($0))</th>" }.joined() + "</tr></thead>",
            "<tbody>",
        ]
            + rows.map { "<tr>\($0)</tr>" } + ["</tbody>", "</table>"]
    }

    /// The page's only styling: system fonts, A4 margins, rows and items never split across pages.
    static let css = """
        @page { size: A4; margin: 16mm 14mm; }
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 10.5pt; color: #1a1a1a; margin: 0 auto; padding: 8pt; max-width: 190mm; line-height: 1.4; }
        @media print { body { padding: 0; max-width: none; } }
        h1 { font-size: 17pt; margin: 0 0 4pt 0; }
        h2 { font-size: 13pt; margin: 18pt 0 6pt 0; border-bottom: 1px solid #999999; page-break-after: avoid; }
        h3 { font-size: 12pt; margin: 12pt 0 4pt 0; page-break-after: avoid; }
        h4 { font-size: 10.5pt; margin: 8pt 0 4pt 0; color: #444444; page-break-after: avoid; }
        .meta, .note, .footer { color: #555555; font-size: 9pt; }
        .summary { font-weight: bold; }
        .url { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; color: #333333; word-break: break-all; margin: 0; }
        table { border-collapse: collapse; width: 100%; font-size: 9pt; }
        th, td { border: 1px solid #bbbbbb; padding: 3pt 4pt; vertical-align: top; text-align: left; }
        th { background: #eeeeee; }
        td.n { text-align: right; }
        tr, .item { page-break-inside: avoid; }
        .item { margin: 0 0 8pt 0; }
        .item p { margin: 1pt 0; }
        .title { font-weight: bold; }
        .state { font-style: italic; }
        ul { margin: 2pt 0 0 0; padding-left: 16pt; }
        """
}
