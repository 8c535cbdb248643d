import Foundation
import RegWatch
import TestSupport
import XCTest

/// Fixed inputs for the digest tests: a week of French regulatory-watch items shaped like
/// what Légifrance, Centre Inffo, France compétences and the trade press publish.
enum DigestFixtures {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let week = ISOWeek(year: 2025, week: 49)!

    /// `2025-12-DD HH:MM` Paris time.
    static func paris(_ day: Int, _ hour: Int, _ minute: Int = 0, month: Int = 12, year: Int = 2025) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = paris
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    /// The Monday morning the digest is sent.
    static let sendDate = paris(8, 7)

    static let envelope = DigestEnvelope(
        from: "Veille regwatch <veille@example.org>", to: ["equipe@example.org", "direction@example.org"],
        date: sendDate)

    static let failingSources = [
        FailingSource(url: "https://www.cfa-exemple.fr/feed/", error: "HTTP 503 Service Unavailable after 3 attempts"),
        FailingSource(url: "https://travail-emploi.gouv.fr/rss.xml", error: "timeout after 30 s"),
    ]

    static let counts = DigestCounts(feedsPolled: 14, itemsSeen: 312)

    /// Twelve items of week 2025-W49.
    static let candidates: [DigestCandidate] = [
        DigestCandidate(
            id: 101, shortID: "a1f3c9",
            title: "Décret n° 2025-1234 du 2 décembre 2025 relatif à la mobilisation du compte personnel de formation",
            link: "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000052000001", source: "Légifrance",
            sourceWeight: 2.0, published: paris(2, 9), firstSeen: paris(2, 10),
            summary: """
                Le décret précise l’ordre de mobilisation des droits inscrits sur le compte personnel de \
                formation. Les dotations de l’employeur sont désormais consommées en premier, puis les droits \
                acquis par le titulaire, et enfin les abondements complémentaires. Il fixe une date \
                d’expiration pour les dotations non utilisées. Les fonds non consommés peuvent être récupérés \
                par le financeur selon des modalités fixées par arrêté. Le texte entre en vigueur le \
                1er janvier 2026 pour les dossiers déposés à compter de cette date. Les organismes de \
                formation doivent adapter leurs conditions générales.
                """,
            topics: [TopicScore(.cpf, 3.5)], alsoIn: ["Centre Inffo", "Le Quotidien de la formation"]),
        DigestCandidate(
            id: 102, shortID: "b27e01",
            title: "Qualiopi : le référentiel national qualité évolue au 1er janvier 2026",
            link: "https://travail-emploi.gouv.fr/qualiopi-referentiel-2026", source: "Ministère du Travail",
            sourceWeight: 1.5, published: paris(3, 14), firstSeen: paris(3, 15),
            summary: """
                Sept critères et trente-deux indicateurs : le référentiel est révisé pour renforcer les \
                exigences sur l’accompagnement des apprenants à distance. Les audits de surveillance vérifieront \
                la traçabilité de l’assistance pédagogique.
                """,
            topics: [TopicScore(.qualiopi, 3.0)]),
        DigestCandidate(
            id: 103, shortID: "c93d22",
            title: "IA générative en formation : ce que change l’AI Act pour les organismes",
            link: "https://www.centre-inffo.fr/site-droit-formation/ia-generative-ai-act", source: "Centre Inffo",
            sourceWeight: 1.2, published: paris(4, 11), firstSeen: paris(4, 11, 30),
            summary: """
                Le règlement européen sur l’intelligence artificielle classe certains usages éducatifs parmi \
                les systèmes à haut risque. M. Dupont, juriste, détaille les obligations de transparence \
                applicables dès 2026.
                """,
            topics: [TopicScore(.ia, 2.5)]),
        DigestCandidate(
            id: 104, shortID: "d40b7a",
            title: "Certification professionnelle : nouvelles règles d’enregistrement au RNCP",
            link: "https://www.francecompetences.fr/actualites/rncp-regles-2026/", source: "France compétences",
            sourceWeight: 1.5, published: paris(1, 16), firstSeen: paris(1, 17),
            summary: "La commission de la certification professionnelle publie sa nouvelle doctrine."),
        DigestCandidate(
            id: 105, shortID: "e5519c",
            title: "CPF : le reste à charge de 100 euros contesté devant le Conseil d’État",
            link: "https://www.lequotidiendelaformation.fr/cpf-reste-a-charge-conseil-etat",
            source: "Le Quotidien de la formation",
            sourceWeight: 1.0, published: paris(5, 8), firstSeen: paris(5, 9),
            summary: """
                Plusieurs organisations syndicales ont déposé un recours. La participation forfaitaire \
                serait contraire au principe d’égal accès à la formation.
                """,
            topics: [TopicScore(.cpf, 2.0)]),
        DigestCandidate(
            id: 106, shortID: "f6a0d3",
            title: "Neurodiversité au travail : un guide pour adapter les parcours de formation",
            link: "https://www.agefiph.fr/actualites/guide-neurodiversite-formation", source: "Agefiph",
            sourceWeight: 1.0, published: paris(2, 12), firstSeen: paris(2, 13),
            summary: """
                TDAH, dyslexie, troubles du spectre de l’autisme : le guide propose des aménagements concrets \
                pour les formateurs, des évaluations aux supports de cours.
                """,
            topics: [TopicScore(.neurodiversite, 2.2)]),
        DigestCandidate(
            id: 107, shortID: "0a7c55",
            title: "Chatbots pédagogiques : retour d’expérience d’un CFA du BTP",
            link: "https://www.digiformag.com/chatbots-pedagogiques-cfa-btp", source: "Digiformag",
            sourceWeight: 1.0, published: paris(6, 10), firstSeen: paris(6, 11),
            summary: "Un assistant conversationnel répond aux questions des apprentis le soir et le week-end.",
            topics: [TopicScore(.ia, 1.3)]),
        DigestCandidate(
            id: 108, shortID: "1b8e44",
            title: "Apprentissage : l’aide à l’embauche reconduite en 2026",
            link: "https://www.service-public.fr/particuliers/actualites/A17001", source: "Service-Public.fr",
            sourceWeight: 1.2, published: paris(3, 9), firstSeen: paris(3, 10),
            summary: "Le montant reste fixé à 5 000 euros pour la première année du contrat."),
        DigestCandidate(
            id: 109, shortID: "2c9f33",
            title: "Audit de surveillance Qualiopi : les 5 non-conformités les plus fréquentes",
            link: "https://www.lequotidiendelaformation.fr/qualiopi-non-conformites",
            source: "Le Quotidien de la formation",
            sourceWeight: 1.0, published: paris(4, 15), firstSeen: paris(4, 16),
            summary: "Indicateur 11, indicateur 22 : les auditeurs pointent surtout le défaut de preuves.",
            topics: [TopicScore(.qualiopi, 1.6), TopicScore(.cpf, 1.1)]),
        DigestCandidate(
            id: 110, shortID: "3d0a21",
            title: "Formation & emploi : 3 chiffres *clés* [étude] <2025>",
            link: "https://dares.travail-emploi.gouv.fr/publication/formation-emploi-chiffres-cles?utm=x&y=(1)",
            source: "Dares", sourceWeight: 1.0, published: paris(7, 18), firstSeen: paris(7, 19),
            summary: "1. La dépense atteint 32 milliards d’euros. 2. Un actif sur deux s’est formé."),
        DigestCandidate(
            id: 111, shortID: "4e1b10",
            title: "Archives : la réforme de 2018 en dix questions",
            link: "ftp://archives.example.org/reforme-2018.pdf", source: "Centre Inffo",
            sourceWeight: 1.2, published: paris(20, 9, month: 11), firstSeen: paris(6, 20),
            summary: nil),
        DigestCandidate(
            id: 112, shortID: "5f2c0f",
            title: "Webinaire : piloter la veille réglementaire en équipe",
            link: "https://www.humanissue.fr/webinaire-veille", source: "Humanissue",
            sourceWeight: 0.8, published: nil, firstSeen: paris(7, 21),
            content: "Quinze minutes chaque lundi pour partager les alertes réglementaires."),
    ]

    static let input = DigestInput(week: week, candidates: candidates, failingSources: failingSources, counts: counts)

    /// Settings whose small budget sends part of the week to "Pour aller plus loin".
    static func settings(_ language: DigestSettings.Language = .fr, readingMinutes: Int = 2) -> DigestSettings {
        DigestSettings(readingMinutes: readingMinutes, wordsPerMinute: 230, language: language, timeZone: paris)
    }

    /// `count` deterministic pseudo-random items spread over the week (a linear congruential
    /// generator, so every run sees the same week).
    static func bulk(_ count: Int, in week: ISOWeek = week) -> [DigestCandidate] {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let vocabulary = """
            formation compte personnel décret arrêté organisme certification qualité apprentissage \
            opérateur compétences financement employeur salarié apprenant référentiel audit indicateur \
            réforme ministère travail emploi branche professionnelle France compétences OPCO CFA \
            accompagnement parcours dispositif transition numérique intelligence artificielle handicap
            """.split(separator: " ").map(String.init)
        let sources = [
            "Légifrance", "Centre Inffo", "Le Quotidien de la formation", "Ministère du Travail",
            "France compétences", "Digiformag", "Agefiph", "Dares",
        ]
        let topics: [TopicID] = [.cpf, .qualiopi, .ia, .neurodiversite]
        let start = week.start(in: paris)
        func sentence(_ words: Int) -> String {
            var text = (0..<words).map { _ in vocabulary[next(vocabulary.count)] }.joined(separator: " ")
            text = text.prefix(1).uppercased() + text.dropFirst()
            return text + "."
        }
        return (0..<count).map { index in
            let published = start.addingTimeInterval(Double(next(7 * 24 * 60)) * 60)
            let summaryWords = 20 + next(140)
            var summary: [String] = []
            var remaining = summaryWords
            while remaining > 0 {
                let length = min(remaining, 8 + next(20))
                summary.append(sentence(length))
                remaining -= length
            }
            let tagged = next(3) > 0
            return DigestCandidate(
                id: Int64(1000 + index), shortID: String(format: "%06x", 0xA00000 + index),
                title: sentence(6 + next(12)), link: "https://www.example.org/actualites/\(index)",
                source: sources[next(sources.count)], sourceWeight: [1.0, 1.0, 1.2, 1.5, 2.0][next(5)],
                published: published, firstSeen: published.addingTimeInterval(600),
                summary: summary.joined(separator: " "),
                topics: tagged ? [TopicScore(topics[next(topics.count)], 1 + Double(next(30)) / 10)] : [],
                alsoIn: next(10) == 0 ? [sources[next(sources.count)]] : [])
        }
    }
}

/// Runs a real tool (cmark, python3) and returns what it printed.
enum DigestTool {
    static func run(_ executable: String, _ arguments: [String] = [], stdin: Data) throws -> ChildProcess.Result {
        try ChildProcess.run(URL(fileURLWithPath: executable), arguments, stdin: stdin)
    }
}
