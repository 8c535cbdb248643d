import Foundation
import RegWatch
import XCTest

/// The learned evidence layer of the built-in topics (TopicModel, docs/topics.md "The learned
/// layer"): its shipped weights, what it adds to the rules, what it must not, how a team turns
/// it off. The items are written for these tests, not taken from the labelled sets.
final class TaggingModelTests: XCTestCase {
    private let rulesOnly = Tagger(topics: Topic.builtIn, model: nil)
    /// Qualiopi's renewal audit, without one of the rules' words.
    private static let certificateTitle = "Notre certificat renouvelé : l'auditrice a passé deux jours chez nous"
    private static let certificateSummary =
        "Échantillon de dossiers, recueil des appréciations des stagiaires, indicateurs et preuves : trois écarts"
        + " mineurs à corriger avant la décision de renouvellement."
    private let tagger = Tagger(topics: Topic.builtIn)

    private func topics(_ tagger: Tagger, _ title: String, _ summary: String) -> Set<TopicID> {
        Set(tagger.tag(title: title, summary: summary, content: nil).map(\.id))
    }

    func testShippedWeightsLoadForTheFourBuiltInTopics() throws {
        let model = TopicModel.builtIn
        XCTAssertEqual(model.topics.map(\.topic), Topic.builtIn.map(\.id))
        for topic in model.topics {
            XCTAssertGreaterThan(topic.words.count, 20, "\(topic.topic) has a vocabulary")
            XCTAssertLessThanOrEqual(topic.words.count + topic.titleWords.count, 800, "\(topic.topic) is compact")
            XCTAssertTrue((0.05...0.95).contains(topic.threshold), "\(topic.topic) threshold \(topic.threshold)")
            XCTAssertLessThan(topic.bias, 0, "\(topic.topic): an item with no known word is not about it")
        }
        XCTAssertEqual(try TopicModel(table: model.table), model, "the text form round-trips")
    }

    func testAMalformedTableNamesTheLine() {
        XCTAssertThrowsError(try TopicModel(table: "topic cpf bias -3 threshold 0.5\nw formation")) { error in
            XCTAssertEqual((error as? TopicModel.TableError)?.line, 2)
        }
    }

    func testTheAloneThresholdRoundTripsAndAMalformedOneNamesTheLine() throws {
        let model = try TopicModel(table: "topic cpf bias -3 threshold 0.5 alone 0.9\nw plateform 1.5")
        XCTAssertEqual(model.topics.first?.alone, 0.9)
        XCTAssertEqual(try TopicModel(table: model.table), model)
        XCTAssertNil(try TopicModel(table: "topic cpf bias -3 threshold 0.5").topics.first?.alone, "none: never")
        XCTAssertThrowsError(try TopicModel(table: "topic cpf bias -3 threshold 0.5 alone high")) { error in
            XCTAssertEqual((error as? TopicModel.TableError)?.line, 1)
        }
    }

    /// An item the rules find nothing in: the model gives the topic only at its higher `alone`
    /// threshold, says it decided without an anchor, and never where the topic has none.
    func testTheModelDecidesWithoutAnAnchorOnlyAboveItsAloneThreshold() throws {
        let title = "Achat d'une session via la plateforme : mes euros restent bloqués"
        let summary = "Le remboursement de la session annulée se fait attendre depuis trois semaines."
        XCTAssertEqual(topics(rulesOnly, title, summary), [], "the rules find nothing")
        func model(alone: Double?) -> TopicModel {
            TopicModel(topics: [
                .init(
                    topic: .cpf, bias: -2, threshold: 0.5, alone: alone,
                    words: ["plateform": 1.5, "achat": 1.5, "euro": 1.5, "session": 1], titleWords: [:])
            ])
        }
        let sure = try XCTUnwrap(
            Tagger(topics: Topic.builtIn, model: model(alone: 0.9)).explain(
                title: title, summary: summary, content: nil
            )
            .first { $0.match.id == .cpf })
        let evidence = try XCTUnwrap(sure.model)
        XCTAssertTrue(evidence.decided)
        XCTAssertFalse(evidence.anchored, "no rule word of the CPF in the item")
        XCTAssertEqual(evidence.alone, 0.9)
        XCTAssertEqual(evidence.appliedThreshold, 0.9)
        XCTAssertGreaterThanOrEqual(evidence.probability, 0.9)
        XCTAssertEqual(evidence.words.first?.weight, 1.5)
        XCTAssertEqual(topics(Tagger(topics: Topic.builtIn, model: model(alone: 0.99)), title, summary), [])
        XCTAssertEqual(topics(Tagger(topics: Topic.builtIn, model: model(alone: nil)), title, summary), [])
    }

    /// Deciding alone keeps the rules' judgements: not in a job offer, not where the item is set
    /// in another country, not where the rules found the topic only in passing or excluded.
    func testTheModelDecidingAloneRespectsJobOffersOtherCountriesAndExclusions() {
        let eager = Tagger(
            topics: Topic.builtIn,
            model: TopicModel(topics: [
                .init(
                    topic: .cpf, bias: -2, threshold: 0.5, alone: 0.6,
                    words: ["plateform": 2, "compt": 2, "droit": 2, "formation": 1], titleWords: [:])
            ]))
        let items: [(String, String)] = [
            ("Chargé de formation (H/F)", "Vous suivez les droits des salariés et la plateforme de formation."),
            (
                "Singapore tops up its workers' training accounts",
                "SkillsFuture credits: the platform lists the rights of each account for training."
            ),
            ("Retraite : vos droits acquis au régime", "Le compte et la plateforme de la caisse, hors formation."),
        ]
        for (title, summary) in items {
            XCTAssertEqual(topics(eager, title, summary), [], title)
        }
        XCTAssertEqual(
            topics(eager, "La plateforme et vos droits", "Le compte se consulte en ligne avant une formation."), [.cpf],
            "the same words, none of those settings: given")
    }

    func testTheModelReadsTheTaggersOwnStems() {
        let features = TopicModel.features(
            title: "Certificats qualité : les auditrices arrivent", summary: "Les non-conformités levées.")
        XCTAssertTrue(
            features.titleWords.isSuperset(of: ["certificat", "qualit", "auditeur"]), "\(features.titleWords)")
        XCTAssertTrue(features.words.isSuperset(of: ["conformit", "leve"]), "\(features.words)")
        XCTAssertFalse(features.words.contains("l"), "elisions are no feature")
    }

    /// Qualiopi named only by its machinery, and the CPF only by its money and operator: the
    /// rules miss them, the model gives them and says so.
    func testTheModelRecoversItemsNamedWithoutTheirKeyword() throws {
        let items: [(String, String, TopicID)] = [
            (Self.certificateTitle, Self.certificateSummary, .qualiopi),
            (
                "J'ai perdu 1 200 euros après une session annulée",
                "La Caisse des Dépôts met trois semaines à me rembourser ; l'organisme, lui, a déjà été payé"
                    + " via la plateforme.",
                .cpf
            ),
        ]
        for (title, summary, topic) in items {
            XCTAssertFalse(topics(rulesOnly, title, summary).contains(topic), "the rules alone miss: \(title)")
            let explanation = try XCTUnwrap(
                tagger.explain(title: title, summary: summary, content: nil).first { $0.match.id == topic }, title)
            let model = try XCTUnwrap(explanation.model)
            XCTAssertTrue(model.decided, title)
            XCTAssertGreaterThanOrEqual(model.probability, model.threshold)
            XCTAssertFalse(model.words.isEmpty)
            XCTAssertGreaterThan(model.words[0].weight, 0, "the strongest word pushed for the topic")
            XCTAssertEqual(explanation.match.score, 1.0, "a topic the model gives scores the threshold")
            XCTAssertEqual(explanation.match.matches, [])
        }
    }

    /// The model decides only where the rules found a plain word of the topic: not on a
    /// lowercase "ia", an excluded phrase, a label or a job offer's boilerplate.
    func testTheModelDoesNotOverruleTheRulesJudgements() {
        let items: [(String, String)] = [
            ("Ia ora na : accueil des stagiaires polynésiens", "Les ia du projet sont prêtes."),
            ("Anglais des affaires | certifiée Qualiopi", "Audit, preuves et indicateurs : nous sommes à jour."),
            ("Conseiller formation (H/F)", "Vous gérez les dossiers CPF, la plateforme et les droits des titulaires."),
        ]
        for (title, summary) in items {
            XCTAssertEqual(topics(tagger, title, summary), [], title)
        }
    }

    /// The same machinery elsewhere: a car's inspection, a pension's rights, a bank's platform,
    /// a student fair. Neither the rules nor the model tag them.
    func testHardNegativesWithTheSameVocabularyStayUntagged() {
        let items: [(String, String)] = [
            (
                "Contrôle technique : votre véhicule passe sa visite tous les deux ans",
                "Le centre agréé relève les défaillances mineures ; une contre-visite est exigée pour les majeures."
            ),
            (
                "Retraite : vos droits acquis au régime complémentaire",
                "La caisse met à jour votre relevé de points ; les trimestres validés figurent sur la plateforme."
            ),
            (
                "Banque en ligne : le solde de votre compte s'affiche en temps réel",
                "La nouvelle plateforme permet de suivre chaque achat et de contester une opération en deux clics."
            ),
            (
                "Salon de l'étudiant : les écoles d'ingénieurs à la rencontre des lycéens",
                "Trois jours d'échanges sur les parcours, les bourses et la vie sur les campus."
            ),
        ]
        for (title, summary) in items {
            XCTAssertEqual(topics(tagger, title, summary), [], title)
        }
    }

    func testTheRulesTopicsAreUnchangedByTheModel() throws {
        let title = "Qualiopi : l'audit de surveillance à distance"
        let withModel = tagger.explain(title: title, summary: nil, content: nil)
        XCTAssertEqual(withModel.map(\.match), rulesOnly.tag(title: title, summary: nil, content: nil))
        XCTAssertEqual(
            withModel.map(\.evidence), rulesOnly.explain(title: title, summary: nil, content: nil).map(\.evidence))
        XCTAssertNil(withModel.first?.model, "the rules decided: the model adds nothing")
    }

    /// `model = false` in a `[[topics]]` table: rules only for that topic; custom topics have
    /// no model at all.
    func testATeamCanTurnTheModelOffPerTopicAndCustomTopicsHaveNone() throws {
        let (title, summary) = (Self.certificateTitle, Self.certificateSummary)
        XCTAssertTrue(topics(tagger, title, summary).contains(.qualiopi))
        var off = Topic.builtIn
        off[1].learned = false
        XCTAssertFalse(topics(Tagger(topics: off), title, summary).contains(.qualiopi))
        let custom = Topic(id: "audit", label: "Audit", terms: ["audit interne"])
        let explanation = Tagger(topics: [custom]).explain(
            title: "Audit interne : la méthode", summary: nil, content: nil)
        XCTAssertEqual(explanation.map(\.match.id), ["audit"])
        XCTAssertNil(explanation[0].model)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("feeds.toml")
        try """
        [[topics]]
        id = "qualiopi"
        model = false
        """.write(to: file, atomically: true, encoding: .utf8)
        let configuration = try Configuration.load(from: file)
        XCTAssertEqual(configuration.topic(.qualiopi)?.learned, false)
        XCTAssertEqual(configuration.topic(.qualiopi)?.terms, Topic.builtIn[1].terms, "other keys kept")
        XCTAssertEqual(configuration.topic(.cpf)?.learned, true)
    }
}
