import Foundation
import RegWatch
import XCTest

/// The trainer of the learned layer (TopicModelTraining, `train-topic-model`): how it reads the
/// rules' decision on each item, and that the decisions it scores are the tagger's. The items
/// are written for these tests, not taken from the labelled sets.
final class TopicModelTrainingTests: XCTestCase {
    private func example(_ title: String, _ summary: String, _ topics: Set<TopicID>, by author: String)
        -> TopicModelTraining.Example
    {
        TopicModelTraining.Example(title: title, summary: summary, topics: topics, author: author)
    }

    /// The rules give the topic, leave it anchored on a plain related word, leave it open to
    /// the model alone where they found nothing, or keep it closed in a job offer.
    func testTheTrainerReadsHowTheRulesLeaveEachTopicToTheModel() {
        var examples = [
            example("CPF : la participation forfaitaire relevée", "Le décret paraît en mai.", [.cpf], by: "A"),
            example("Abondement : ce qui change en mai", "Un décret précise le calendrier.", [.cpf], by: "A"),
            example("La plateforme et vos euros", "Trois semaines pour un remboursement.", [.cpf], by: "B"),
            example("Conseiller formation (H/F)", "Vous gérez les dossiers CPF des titulaires.", [], by: "B"),
        ]
        TopicModelTraining.readOpenings(&examples, rules: Topic.builtIn)
        XCTAssertEqual(examples.map { $0.openings[.cpf] }, [.rules, .anchored, .alone, .closed])
        XCTAssertEqual(examples[0].rules, [.cpf])
        XCTAssertEqual(examples[1].rules, [])
    }

    /// Trained and cross-validated on a few authors: one fold per author, and the shipped
    /// model's decisions through the real tagger are exactly those the trainer scored.
    func testTheDecisionsTheTrainerScoresAreTheTaggers() {
        let items: [(String, String, Set<TopicID>)] = [
            ("Abondement de l'employeur sur le compte", "Les droits du titulaire augmentent.", [.cpf]),
            ("La plateforme et vos droits", "Un achat de formation via le compte.", [.cpf]),
            ("Vos droits et la Caisse des dépôts", "La plateforme rembourse une session annulée.", [.cpf]),
            ("Audit de surveillance : les preuves", "L'auditeur vérifie les indicateurs.", [.qualiopi]),
            ("Certificat renouvelé après l'audit", "Les non-conformités sont levées.", [.qualiopi]),
            ("Contrôle technique de votre véhicule", "Une contre-visite est exigée.", []),
            ("Banque : le solde de votre compte", "La plateforme affiche chaque achat.", []),
            ("Un algorithme pour planifier", "L'automatisation des plannings de formation.", []),
            ("Agent conversationnel pour les stagiaires", "Un modèle génératif répond aux questions.", [.ia]),
        ]
        var examples: [TopicModelTraining.Example] = []
        for author in ["A", "B", "C"] {
            for (title, summary, topics) in items { examples.append(example(title, summary, topics, by: author)) }
        }
        var options = TopicModelTraining.Options()
        options.iterations = 60
        options.minimumItems = 1
        options.minimumAuthors = 1
        options.aloneThresholds = [0.5, 0.8]
        let outcome = TopicModelTraining.run(examples, rules: Topic.builtIn, options: options, crossValidating: true)
        XCTAssertEqual(outcome.folds.map(\.author), ["A", "B", "C"])
        XCTAssertEqual(outcome.disagreements, [])
        XCTAssertEqual(outcome.model.topics.map(\.topic), Topic.builtIn.map(\.id))
        XCTAssertTrue(outcome.model.topics.contains { !$0.words.isEmpty }, "the model learnt some words")
    }
}
