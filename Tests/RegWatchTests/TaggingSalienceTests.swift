import RegWatch
import XCTest

/// The errors the first rules made on items written independently of them, one test per
/// kind (docs/topics.md, "Salience"): topics mentioned in passing, topics named without
/// their keyword, acronyms not in capitals, English accounts of other countries. Every
/// negative case has a positive twin, so the rule cannot pass by tagging nothing.
final class TaggingSalienceTests: XCTestCase {
    let tagger = Tagger(topics: Topic.builtIn)

    private func ids(_ title: String?, _ summary: String? = nil) -> [TopicID] {
        tagger.tag(title: title, summary: summary, content: nil).map(\.id)
    }

    // MARK: Mentioned in passing

    func testATopicInAnEnumerationOfSchemesIsAMentionInPassing() {
        XCTAssertEqual(
            ids(
                "Transitions collectives : le dispositif prolongé jusqu'en 2027",
                "Il complète les autres outils de reconversion (CPF, VAE, Pro-A, bilan de compétences) sans s'y substituer."
            ),
            [])
        XCTAssertEqual(
            ids(
                "Transitions collectives : le dispositif prolongé jusqu'en 2027",
                "Les salariés pourront y ajouter leurs droits CPF pour allonger la formation."),
            [.cpf], "the same acronym in a sentence of its own counts")
        XCTAssertEqual(
            ids(
                "Salon Solutions RH : le plan des stands",
                "Thèmes des exposants : paie, SIRH, intelligence artificielle, recrutement, marque employeur."),
            [])
        XCTAssertEqual(
            ids(
                "Salon Solutions RH : le plan des stands",
                "Les exposants misent cette année sur l'intelligence artificielle pour le recrutement."),
            [.ia])
        XCTAssertEqual(
            ids(
                "Nos formations management 2027",
                "Animer une réunion, déléguer, manager des profils neuro-atypiques, conduire le changement, gérer le stress."
            ),
            [])
        XCTAssertEqual(
            ids("Nos formations management 2027", "Un nouveau module pour manager des profils neuro-atypiques."),
            [.neurodiversite])
    }

    func testCertifiedQualiopiInAJobOfferACatalogueOrAnEventIsBoilerplate() {
        XCTAssertEqual(
            ids(
                "Formateur en anglais (H/F) – Toulouse",
                "Organisme de formation certifié Qualiopi, nous recrutons un formateur pour nos cours du soir."), [])
        XCTAssertEqual(
            ids("Word perfectionnement – 2 jours", "Programme détaillé en ligne. Organisme certifié Qualiopi."), [])
        XCTAssertEqual(ids("Forum des métiers du soin", "Quarante centres certifiés Qualiopi tiendront un stand."), [])
        XCTAssertEqual(
            ids("Qualiopi : les organismes certifiés devront publier leurs résultats"), [.qualiopi],
            "in a title, the certification is the subject")
        XCTAssertEqual(
            ids("Formateur en anglais – Toulouse", "Vous préparerez notre audit de surveillance Qualiopi de juin."),
            [.qualiopi], "the audit is what the sentence is about")
    }

    func testOneBoilerplatePhraseIsOneMention() throws {
        let lenient = Tagger(
            topics: Topic.builtIn.map { topic in
                var topic = topic
                topic.threshold = 0.1
                return topic
            })
        let match = try XCTUnwrap(
            lenient.explain(
                title: "Formateur en anglais", summary: "Organisme de formation certifié Qualiopi, nous recrutons.",
                content: nil
            ).first)
        XCTAssertEqual(match.match.score, 0.25, "«organisme de formation certifié» and «qualiopi» are one phrase")
        XCTAssertEqual(match.evidence.map(\.context), [.boilerplate])
    }

    func testAJobOfferMarkedHFIsBoilerplateBeyondItsTitle() {
        XCTAssertEqual(
            ids(
                "Responsable qualité (H/F) – CDI",
                "Vous préparez l'audit de surveillance Qualiopi et suivez les indicateurs."),
            [], "the summary describes the job")
        XCTAssertEqual(ids("Conseiller CPF F/H", "Vous répondez aux titulaires de compte."), [], "the CPF is its files")
        XCTAssertEqual(
            ids(
                "Responsable qualité Qualiopi : un métier qui change",
                "Vous préparez l'audit de surveillance et suivez les indicateurs."),
            [.qualiopi], "without a mark, nothing says it is an offer")
        XCTAssertEqual(ids("Qualiopi : les H et F des indicateurs"), [.qualiopi], "H/F must be written as the mark")
    }

    func testOtherMarksOfAJobOfferMakeItBoilerplate() {
        let summary = "Vous accompagnerez des apprenants autistes et utiliserez l'IA générative au quotidien."
        XCTAssertEqual(ids("Offre d'emploi : formateur bureautique", summary), [])
        XCTAssertEqual(ids("Formatrice bureautique – CDD 6 mois – Nantes", summary), [])
        XCTAssertEqual(ids("Chargé(e) de projet amélioration continue", summary), [])
        XCTAssertEqual(ids("Nous recrutons un formateur en bureautique", summary), [])
        XCTAssertEqual(ids("Le CDI des formateurs face à l'IA générative"), [.ia], "a contract named in a sentence")
        XCTAssertEqual(ids("Les entreprises recrutent des experts de l'IA"), [.ia], "news about hiring")
    }

    /// Two independent authors of three label an offer whose title names the topic as the
    /// job's subject as about the topic; the employer's labels and the files a job handles
    /// are not.
    func testAJobOfferIsAboutTheTopicItsTitleNamesAsTheJob() {
        XCTAssertEqual(ids("Formatrice en IA générative – CDD 6 mois – Nantes"), [.ia])
        XCTAssertEqual(ids("Auditeur Qualiopi (H/F) – CDI"), [.qualiopi])
        XCTAssertEqual(ids("Emploi — Job coach spécialisé autisme (H/F), CDI, Toulouse"), [.neurodiversite])
        XCTAssertEqual(
            ids("Nous recrutons un formateur spécialisé dans l'accueil des apprenants autistes"), [.neurodiversite])
        XCTAssertEqual(ids("Formateur bureautique (H/F) pour organisme certifié Qualiopi"), [], "the employer's label")
        XCTAssertEqual(ids("Gestionnaire de dossiers CPF (H/F) – CDD"), [], "the files the job handles")
        XCTAssertEqual(ids("Conseiller formation CPF – CDI – Lyon"), [])
    }

    func testALabelSetOffInATitleIsBoilerplate() {
        XCTAssertEqual(ids("Excel avancé – 3 jours – éligible CPF"), [])
        XCTAssertEqual(ids("Sauveteur secouriste du travail (organisme certifié Qualiopi)"), [])
        XCTAssertEqual(ids("Cours d'italien en ligne | certifiée Qualiopi"), [])
        XCTAssertEqual(
            ids("Éligible au CPF : les permis poids lourd entrent dans la liste"), [.cpf],
            "before any dash, the phrase is the title's subject")
        XCTAssertEqual(ids("Les organismes certifiés Qualiopi devront afficher leurs tarifs"), [.qualiopi])
    }

    func testAFeminineParticipleIsTheSamePassingPhrase() {
        XCTAssertEqual(
            ids(
                "Atelier CV pour les 16-25 ans",
                "Association certifiée Qualiopi, nous accueillons les jeunes sans diplôme."),
            [])
        XCTAssertEqual(
            ids("Atelier CV pour les 16-25 ans", "Les structures certifiées Qualiopi devront s'adapter."), [])
    }

    func testAnEnumerationClosedByEtIsAList() {
        XCTAssertEqual(
            ids(
                "Journée RH de Bretagne",
                "Au programme : cybersécurité, intelligence artificielle et management hybride."),
            [])
        XCTAssertEqual(
            ids("Journée RH de Bretagne", "Au programme : l'intelligence artificielle appliquée au recrutement."), [.ia]
        )
        XCTAssertEqual(
            ids("Reconversion : le guide", "Le CPF et la VAE sont comparés."), [.cpf],
            "two items and a connector are not an enumeration")
        XCTAssertEqual(
            ids(
                "Former des adultes", "Plus connue sous le nom de dyslexie, elle gêne la lecture et la prise de notes."),
            [.neurodiversite], "a clause opened by a pronoun is not a list item")
    }

    func testAPhraseDoesNotRunOverASentenceOrAComma() {
        XCTAssertEqual(
            ids("Rédiger avec un assistant génératif", "Respectez les droits. Formation de 7 heures en ligne."), [.ia],
            "«droits formation» is a CPF term, but not across a period")
        XCTAssertEqual(ids("Vos droits formation en 2027"), [.cpf])
        XCTAssertEqual(ids("Compte, formation et budget : le guide du trésorier"), [])
    }

    func testHowACatalogueSaysWhereTheMoneyComesFromIsBoilerplate() {
        for summary in [
            "Finançable via Mon Compte Formation.", "Prise en charge possible par le CPF.",
            "Financement possible avec Mon Compte Formation.", "Éligible à Mon Compte Formation.",
        ] {
            XCTAssertEqual(ids("Photographie numérique – 5 jours", "Sessions à Caen. " + summary), [], summary)
        }
        XCTAssertEqual(
            ids("Finançable via Mon Compte Formation : la photographie retirée de la liste"), [.cpf],
            "opening a title, the phrase is its subject")
    }

    func testACatalogueSpeakingOfTheReadersAccountIsBoilerplate() {
        for summary in [
            "Finançable par votre compte formation.", "Mobilisable avec votre CPF.", "Éligible à votre CPF.",
        ] {
            XCTAssertEqual(ids("Bilan de compétences en 24 h", "Consultantes certifiées. " + summary), [], summary)
        }
        XCTAssertEqual(
            ids(
                "Bilan de compétences en 24 h",
                "Finançable par votre compte formation : les nouvelles règles de la CDC."),
            [], "still the catalogue's phrase")
        XCTAssertEqual(ids("Votre compte formation finance désormais le permis moto"), [.cpf])
    }

    func testEligibleCPFInACatalogueEntryIsBoilerplate() {
        XCTAssertEqual(
            ids("Photoshop initiation – 3 jours", "Formation éligible au CPF, sessions à Rennes et Brest."), [])
        XCTAssertEqual(
            ids("Photoshop initiation : bientôt retirée du CPF", "La certification n'est plus éligible au CPF."), [.cpf]
        )
    }

    func testLaterSentencesWeighLessThanTheFirst() throws {
        let lenient = Tagger(topics: [Topic(id: "cpf", label: "CPF", acronyms: ["CPF"], threshold: 0.1)])
        let first = try XCTUnwrap(lenient.tag(title: nil, summary: "Le CPF change. Rien d'autre.", content: nil).first)
        let later = try XCTUnwrap(lenient.tag(title: nil, summary: "Rien d'autre. Le CPF change.", content: nil).first)
        XCTAssertEqual(first.score, 1.0)
        XCTAssertEqual(later.score, 0.6)
        XCTAssertEqual(ids(nil, "Un décret sur la formation. Il touche aussi le CPF."), [], "0.6 < threshold 1.0")
        XCTAssertEqual(
            lenient.tag(title: nil, summary: "Voir l'article L. 6323 et le CPF.", content: nil).first?.score, 1.0,
            "a period after an initial ends no sentence")
        XCTAssertEqual(
            lenient.tag(title: nil, summary: "Version 9. Le CPF change.", content: nil).first?.score, 0.6,
            "a period after a number does")
    }

    // MARK: Named without the keyword

    func testQualiopiNamedByItsVocabulary() {
        for title in [
            "Indicateur 23 : documenter sa veille", "Critère 6 : les preuves qui manquent le plus",
            "Audit de surveillance à distance : c'est reconduit", "Réussir son audit initial en six mois",
            "Le RNQ révisé au 1er juillet", "Le référentiel national qualité et les CFA",
            "Les indicateurs 27 et 28 expliqués",
        ] {
            XCTAssertEqual(ids(title), [.qualiopi], title)
        }
        for title in [
            "Indicateur de chômage : légère hausse", "Critères d'attribution des bourses", "Audit financier des OPCO",
            "Le certificateur de votre titre RNCP change", "Les sept critères d'une bonne réunion",
        ] {
            XCTAssertEqual(ids(title), [], title)
        }
        XCTAssertEqual(
            ids("Le certificateur a relevé deux écarts", "Qualiopi : l'indicateur 26 en cause."), [.qualiopi])
    }

    func testQualiopiNamedByNumberedIndicatorsAccreditedCertifiersAndTheNationalReferential() {
        for title in [
            "Indicateur n° 12 : mesurer la satisfaction", "Critère n°3 : adapter les parcours",
            "Le référentiel national de qualité évolue", "Un organisme certificateur perd son accréditation COFRAC",
            "CFA : la certification au titre des actions par apprentissage se prépare",
        ] {
            XCTAssertEqual(ids(title), [.qualiopi], title)
        }
        XCTAssertEqual(ids("Le COFRAC accrédite un nouveau laboratoire d'analyses"), [])
    }

    func testNumbersAfterANumberedIndicatorAreOneMentionNotAList() {
        XCTAssertEqual(
            ids(
                "Les indicateurs qui piègent les CFA",
                "Indicateurs 13 à 15, 20, 25 et 29 : ils ne concernent que les CFA."),
            [.qualiopi])
        XCTAssertEqual(
            ids("Bilan de l'année", "Au programme : indicateur 23, réforme de l'apprentissage, salons et webinaires."),
            [],
            "one item of a list of subjects")
    }

    func testQualiopiNamedByWhoMustBeCertified() {
        XCTAssertEqual(
            ids("Sous-traitance : dois-je être certifié ?", "Oui, si vous percevez des fonds publics ou mutualisés."),
            [.qualiopi])
        XCTAssertEqual(ids("Fonds publics ou mutualisés : la Cour des comptes veut mieux contrôler les OPCO"), [])
        XCTAssertEqual(
            ids(
                "French training providers face tighter audits",
                "France is reviewing the national quality framework that publicly funded providers must meet."),
            [.qualiopi])
        XCTAssertEqual(ids("Australia tightens the VET Quality Framework for registered training providers"), [])
    }

    func testAIAgentsNamedByTheirVoiceOrAGeneratedFace() {
        XCTAssertEqual(ids("Recrutement : des assistants vocaux pour les premiers entretiens"), [.ia])
        XCTAssertEqual(ids("Des avatars générés pour nos vidéos de formation"), [.ia])
        XCTAssertEqual(ids("Classe virtuelle : personnalisez votre avatar"), [])
        XCTAssertEqual(ids("Dyslexie : la synthèse vocale autorisée aux examens"), [.neurodiversite])
    }

    func testCPFNamedByItsMoney() {
        XCTAssertEqual(ids("Droits acquis : combien seront crédités sur votre compte en 2027 ?"), [.cpf])
        XCTAssertEqual(ids("Un reste à charge de 150 euros sur chaque formation"), [.cpf])
        XCTAssertEqual(
            ids("Annulation : que deviennent vos heures ?", "Le titulaire récupère sa participation forfaitaire."),
            [.cpf])
        XCTAssertEqual(ids("Retraite : vos droits acquis au régime général"), [])
        XCTAssertEqual(ids("Reste à charge zéro : les lunettes concernées"), [])
        XCTAssertEqual(ids("Médecin traitant : la participation forfaitaire passe à 2 euros"), [])
        XCTAssertEqual(ids("Abondement des régions : 1 500 euros pour les formations du soin"), [.cpf])
        XCTAssertEqual(ids("Épargne salariale : l'abondement de l'employeur plafonné"), [])
    }

    func testCPFNamedByItsOperatorItsOffersAndTheDIF() {
        XCTAssertEqual(ids("Organismes de formation : la CDC précise les règles de prix"), [.cpf])
        XCTAssertEqual(ids("Les agrégateurs d'offres de formation privés des données de la Caisse des Dépôts"), [.cpf])
        XCTAssertEqual(
            ids("Appel d'offres : le CDC impose aux organismes de formation un reporting mensuel"), [],
            "le CDC is a cahier des charges")
        XCTAssertEqual(ids("Forum : nos stagiaires découvrent le reste à charge au moment de valider"), [.cpf])
        XCTAssertEqual(ids("Heures de DIF : saisissez-les sur votre compte avant juin"), [.cpf])
        XCTAssertEqual(
            ids("DIF des élus : la cotisation relevée", "Les élus disposent de 20 heures sur leur compte."), [])
    }

    func testCPFNamedWithoutItsAcronymOrThroughItsLogin() {
        XCTAssertEqual(ids("Votre compte de formation crédité en mars"), [.cpf])
        XCTAssertEqual(ids("Entretien professionnel : tenir compte de formations suivies hors temps de travail"), [])
        XCTAssertEqual(ids("Achat d'une formation : FranceConnect+ généralisé"), [.cpf])
        XCTAssertEqual(ids("FranceConnect : trois nouveaux services des impôts"), [])
    }

    func testCPFNamedByItsVocabulary() {
        XCTAssertEqual(ids("Mon Compte Formation : nouvelle interface pour les titulaires"), [.cpf])
        XCTAssertEqual(ids("Dotation employeur : un mode d'emploi pour les TPE"), [.cpf])
        XCTAssertEqual(ids("EDOF : les délais de paiement raccourcis"), [.cpf])
        XCTAssertEqual(ids("La dotation des communes rurales augmente"), [], "a dotation alone is not the CPF's")
    }

    func testCPFNamedByItsAccountsFiguresPlatformAndCoPayment() {
        XCTAssertEqual(ids("Crédit annuel : 800 euros par salarié peu qualifié, plafond de 8 000 euros"), [.cpf])
        XCTAssertEqual(
            ids(
                "Compte épargne-temps : le plafond de 5 000 euros relevé", "Les jours crédités pourront être monétisés."
            ),
            [], "a CET's ceiling without the account's yearly credit")
        XCTAssertEqual(ids("Carte bancaire : un plafond de 5 000 euros par mois"), [])
        XCTAssertEqual(ids("Référencement sur la plateforme : ce qui change pour les organismes"), [.cpf])
        XCTAssertEqual(
            ids("Plateforme publique de données : une nouvelle API", "Suivez le référencement de vos jeux de données."),
            [], "another public platform")
        XCTAssertEqual(ids("Auto-écoles : le ticket modérateur fait fuir les candidats au permis"), [.cpf])
        XCTAssertEqual(
            ids("Ticket modérateur : ce qui change chez le médecin", "Remboursé par les organismes complémentaires."),
            [], "health care's co-payment")
        XCTAssertEqual(ids("Abonder les droits de vos salariés : la formation choisie à deux"), [.cpf])
        XCTAssertEqual(ids("Épargne salariale : abonder le PEE de vos salariés"), [])
        XCTAssertEqual(ids("Comment abonder dans le sens de vos équipes sur la formation"), [], "to agree")
        XCTAssertEqual(ids("Compte individuel et plan de développement : cofinancer une formation"), [.cpf])
        XCTAssertEqual(ids("Retraite : consultez votre compte individuel en ligne"), [])
    }

    func testCPFInEnglishAsFrancesIndividualTrainingAccount() {
        XCTAssertEqual(
            ids(
                "France tightens rules on its individual training account",
                "The Caisse des Dépôts, which runs the Mon Compte Formation platform, now requires FranceConnect+ "
                    + "identification for every purchase, a move officials credit with cutting fraud."),
            [.cpf], "a + glued to a name does not cut the sentence into an enumeration")
        XCTAssertEqual(ids("Scotland reopens its individual training account for 2027"), [])
    }

    func testQualiopiNamedAsTheSingleReferentialOrTheQualityMark() {
        XCTAssertEqual(
            ids("Les CFA consulaires adoptent le référentiel unique", "Ils abandonnent leur label qualité maison."),
            [.qualiopi])
        XCTAssertEqual(ids("Handicap : un référentiel unique d'évaluation pour les MDPH"), [])
        XCTAssertEqual(
            ids("Fraudes : les certificateurs signalent les retraits de la marque qualité"), [.qualiopi])
    }

    func testSpecificLearningDisordersWithAnArticle() {
        XCTAssertEqual(ids("Troubles spécifiques des apprentissages : guide pour les formateurs"), [.neurodiversite])
        XCTAssertEqual(ids("Troubles spécifiques de l'apprentissage au travail"), [.neurodiversite])
    }

    // MARK: Acronyms not in capitals

    func testAcronymsOfThreeCapitalsMatchInAnyCase() {
        XCTAssertEqual(ids("cpf : la participation forfaitaire revalorisée"), [.cpf])
        XCTAssertEqual(ids("Le Cpf expliqué en cinq minutes"), [.cpf])
        XCTAssertEqual(ids("tdah : adapter ses pauses en formation"), [.neurodiversite])
        XCTAssertEqual(ids("Les cpfs des intérimaires"), [.cpf], "with a plural s")
        XCTAssertEqual(ids("Le dispositif cpfx expérimental"), [], "not a longer word the stemmer reduces to it")
        XCTAssertEqual(ids("Ia ora na : accueil des stagiaires"), [], "two-letter acronyms stay case-sensitive")
        XCTAssertEqual(ids("AI-je le droit de refuser une formation ?"), [], "AI-je is the verb, in any case")
        XCTAssertEqual(ids("AI-powered tutoring in vocational schools"), [.ia])
    }

    func testLowercaseIAAfterAnElisionOrOpeningATitle() {
        XCTAssertEqual(ids("ia : cinq prompts pour préparer un cours"), [.ia])
        XCTAssertEqual(ids("Quand les formateurs adoptent l'ia"), [.ia])
        XCTAssertEqual(ids("Ressources humaines", "ia : les usages se multiplient."), [.ia])
        XCTAssertEqual(ids("Via Ferrata : la formation des guides"), [])
        XCTAssertEqual(ids("Les ia du projet"), [], "lowercase ia elsewhere is not enough")
    }

    func testIASpeltOutAsAnotherPhraseIsNotAI() {
        XCTAssertEqual(ids("« IA, intelligence augmentée » : un séminaire de leadership"), [])
        XCTAssertEqual(ids("IA : l'intelligence artificielle au service des tuteurs"), [.ia])
    }

    // MARK: English items

    /// In English the CPF is often "France's training account": the account with its country,
    /// not another country's, nor a school's e-learning login.
    func testCPFInEnglishAsTheTrainingAccountOfFrance() {
        XCTAssertEqual(ids("Why French apprentices rarely spend their training accounts"), [.cpf])
        XCTAssertEqual(ids("France's training account funds fewer driving lessons in 2026"), [.cpf])
        XCTAssertEqual(ids("Austria's training account reaches French border workers"), [], "another country")
        XCTAssertEqual(ids("Create your training account to start our French course"), [], "a login")
        XCTAssertEqual(ids("Training account login: French lessons resume on Monday"), [], "a login")
    }

    func testAnotherCountrysPersonalTrainingAccountIsNotTheCPF() {
        XCTAssertEqual(ids("Singapore tops up every adult's personal training account"), [])
        XCTAssertEqual(ids("Wales launches a personal learning account for low earners"), [])
        XCTAssertEqual(
            ids("France caps its personal training account", "The CPF will fund fewer driving licences."), [.cpf])
        XCTAssertEqual(ids("Singapore's CPF: higher payouts for retirees"), [], "Singapore's CPF is a pension fund")
        XCTAssertEqual(ids("Employers' CPF contribution rises in January"), [])
        XCTAssertEqual(ids("The CPF Board opens a new service centre"), [])
    }

    // MARK: Explanations

    func testEvidenceShowsWhereEachMatchIsAndWhatItWeighs() throws {
        let explanation = try XCTUnwrap(
            tagger.explain(
                title: "Qualiopi : le guide de lecture mis à jour",
                summary:
                    "Le ministère publie la version 9. Les organismes certifiés Qualiopi, CFA et prestataires de VAE sont concernés.",
                content: nil
            ).first)
        XCTAssertEqual(explanation.match.id, .qualiopi)
        XCTAssertEqual(
            explanation.evidence,
            [
                Evidence(match: "qualiopi", field: .title, sentence: 0, kind: .term, context: .plain, weight: 1),
                Evidence(
                    match: "guide de lecture", field: .title, sentence: 0, kind: .related, context: .plain, weight: 0.5),
                Evidence(
                    match: "qualiopi", field: .summary, sentence: 1, kind: .term, context: .boilerplate, weight: 0.15),
            ])
        XCTAssertEqual(explanation.match.score, 2.73, "title 2 × (1 + ½·log₂ 1.5) = 2.585, + summary 0.15")
    }

    func testATeamsPassingPhrasesComeFromItsTopic() {
        let topics = [
            Topic(
                id: "apprentissage", label: "Apprentissage", terms: ["apprentissage"],
                passing: ["CFA d'apprentissage agréé"])
        ]
        let tagger = Tagger(topics: topics)
        XCTAssertEqual(
            tagger.tag(title: "Formateur cuisine", summary: "Notre CFA d'apprentissage agréé recrute.", content: nil),
            [])
        XCTAssertEqual(
            tagger.tag(title: "Formateur cuisine", summary: "L'apprentissage en cuisine recrute.", content: nil).map(
                \.id),
            ["apprentissage"])
    }

    // MARK: Named by their machinery (sets D and E)

    func testTwoPiecesOfQualiopisMachineryInATrainingOrganisationAreQualiopi() {
        XCTAssertEqual(
            ids(
                "Audit : deux non-conformités mineures à lever avant l'été",
                "Notre organisme de formation a trois mois pour compléter ses preuves."),
            [.qualiopi])
        XCTAssertEqual(
            ids(
                "Audit : le rapport est tombé", "Notre organisme de formation a trois mois pour compléter ses preuves."),
            [], "an audit and proofs are anybody's: one piece must be the certification's own")
        XCTAssertEqual(
            ids(
                "Usine de Lens : deux non-conformités mineures à l'audit",
                "Le site de production a trois mois pour compléter ses preuves."),
            [], "a factory's audit is another certification")
    }

    func testThreePiecesOfMachineryNeedNoSetting() {
        XCTAssertEqual(
            ids("Non-conformité majeure sur la veille réglementaire : nos preuves jugées insuffisantes"), [.qualiopi])
        XCTAssertEqual(
            ids("Non-conformité majeure : que faire ?", "Nos preuves ont été jugées insuffisantes."), [],
            "two pieces need a training organisation")
        XCTAssertEqual(
            ids(
                "Clinique : le responsable qualité prépare la visite de certification",
                "Indicateurs qualité, non-conformités : la démarche qualité de l'établissement mobilise les équipes."),
            [], "health care's certification has the same machinery")
    }

    func testAQualityRoleInATrainingOrganisationIsQualiopi() {
        XCTAssertEqual(ids("Référent qualité en organisme de formation : le métier en 2027"), [.qualiopi])
        XCTAssertEqual(ids("Référent qualité en clinique : le métier en 2027"), [])
    }

    func testACertificatQualiteIsTheCertification() {
        XCTAssertEqual(ids("Sans certificat qualité, pas de fonds publics pour les organismes"), [.qualiopi])
        XCTAssertEqual(ids("Un certificat qualité ISO pour l'usine de Lens"), [])
    }

    func testTheCPFsMoneyAndPlatformTogetherAreTheCPF() {
        XCTAssertEqual(
            ids(
                "Reconversion : j'ai financé mon CAP avec mes droits",
                "La dotation de ma région, versée sur la plateforme publique, a couvert le reste."),
            [.cpf])
        XCTAssertEqual(
            ids("Reconversion : j'ai financé mon CAP", "La dotation de ma région a couvert le reste."), [],
            "a dotation alone is anybody's")
        XCTAssertEqual(
            ids(
                "Compte épargne-temps : une dotation de cinq jours sur le compte des salariés",
                "L'accord prévoit aussi une formation des managers."),
            [], "another account of the same employees")
    }

    func testTrainingRightsInEurosAndThePersonalAccountBesideATrainingAreTheCPF() {
        XCTAssertEqual(ids("J'ai utilisé 1 500 euros de droits pour passer le permis"), [.cpf])
        XCTAssertEqual(ids("1 500 euros de droits de succession à payer après une formation"), [])
        XCTAssertEqual(ids("Formation : le compte personnel bientôt plafonné"), [.cpf])
        XCTAssertEqual(ids("Formation : le compte personnel de prévention élargi"), [])
    }

    func testAnotherCountrysTrainingAccountIsNotTheCPF() {
        XCTAssertEqual(
            ids(
                "Québec : un compte de formation pour chaque salarié",
                "Les droits seront utilisables auprès des organismes reconnus."),
            [])
        XCTAssertEqual(
            ids(
                "Un compte de formation pour chaque salarié",
                "Les droits seront utilisables auprès des organismes reconnus."),
            [.cpf])
        XCTAssertEqual(
            ids(
                "Ireland trials individual training accounts",
                "Account holders choose training providers on a state-run platform."),
            [])
        XCTAssertEqual(
            ids(
                "Individual training accounts: a new co-payment",
                "Account holders will pay a flat contribution on the state-run platform."),
            [.cpf], "the account's own machinery, with no other country named")
    }

    func testPensionsAndHealthCaresMoneyWordsBesideATrainingAreNotTheCPF() {
        XCTAssertEqual(ids("Droits acquis à la retraite : une formation longue compte-t-elle ?"), [])
        XCTAssertEqual(ids("Droits acquis : une formation longue compte-t-elle ?"), [.cpf])
        XCTAssertEqual(ids("Reste à charge : la mutuelle couvre-t-elle la formation des aidants ?"), [])
        XCTAssertEqual(ids("Reste à charge : qui paie la formation des aidants ?"), [.cpf])
    }

    func testQualiopiNamedInEnglishByATrainingFirmsQualityAudits() {
        XCTAssertEqual(
            ids(
                "Training firms brace for tougher quality audits",
                "Certifiers expect more non-conformities on learner follow-up this year."),
            [.qualiopi])
        XCTAssertEqual(
            ids(
                "Hospitals brace for tougher quality audits",
                "More non-conformities on patient follow-up, and the training centre must retrain nurses."),
            [], "health care's audits are another scheme's, for the rules and for the learned layer")
    }

    func testACertificatesRenewalSaidOfOnesOwnIsQualiopisMachinery() {
        XCTAssertEqual(
            ids(
                "Préparer le renouvellement de votre certificat",
                "Revue des indicateurs et dossier de preuves à jour avant la venue de l'auditeur."),
            [.qualiopi])
        XCTAssertEqual(
            ids(
                "Préparer le renouvellement de votre certificat ISO 9001",
                "Revue des indicateurs et dossier de preuves à jour avant la venue de l'auditeur."),
            [], "another scheme's certificate, for the rules and for the learned layer")
    }

    func testCertificationQualiteBesideAnotherSchemeIsNotQualiopi() {
        XCTAssertEqual(
            ids(
                "Certification qualité : ISO 9001 ou NF Service pour une agence ?",
                "Un audit annuel dans les deux cas."),
            [])
        XCTAssertEqual(
            ids("Certification qualité : un audit annuel pour les organismes ?", "Le calendrier des audits."),
            [.qualiopi])
    }

    func testQualiopiRequiredInACallForTendersIsBoilerplate() {
        XCTAssertEqual(
            ids(
                "Appel d'offres : formations aux métiers du numérique",
                "Organismes de formation : dépôt avant le 30 mai, certification Qualiopi exigée."),
            [])
        XCTAssertEqual(
            ids("Certification Qualiopi exigée des sous-traitants : ce que dit la loi"), [.qualiopi])
    }

    func testTheCPFsRightsBesideASkillsAssessmentAreTheAccounts() {
        XCTAssertEqual(
            ids(
                "Bilan de compétences : payer avec ses droits individuels",
                "Un entretien préalable pourrait devenir obligatoire."),
            [.cpf])
        XCTAssertEqual(
            ids(
                "Bilan de compétences : vos droits individuels à la pension",
                "Un entretien préalable pourrait devenir obligatoire."),
            [], "a pension's rights")
        XCTAssertEqual(
            ids("Conseiller en évolution professionnelle : utiliser mes droits restants pour un bilan de compétences"),
            [.cpf])
        XCTAssertEqual(
            ids("Conseiller en évolution professionnelle : mes droits au chômage pendant un bilan de compétences"),
            [], "unemployment benefits are other rights")
    }

    func testTheMachineryIsShownAsOneExplainedPiece() {
        let explanation = tagger.explain(
            title: "Audit : deux non-conformités mineures à lever avant l'été",
            summary: "Notre organisme de formation a trois mois pour compléter ses preuves.", content: nil)
        XCTAssertEqual(explanation.map(\.match.matches), [["non-conformité mineure + audit + preuve"]])
        XCTAssertEqual(explanation.first?.evidence.map(\.context), [.plain])
    }

    // MARK: Set J's families (docs/topics.md, "Measured", step 11)

    func testThePlatformsTermsAndSpacesAreTheCPFsMachinery() {
        XCTAssertEqual(
            ids(
                "Organismes : les CGU de la plateforme changent en avril",
                "Les prestataires référencés devront afficher leurs délais de rétractation."),
            [.cpf])
        XCTAssertEqual(
            ids(
                "Dotation des régions : l'espace des financeurs s'ouvre aux OPCO",
                "Les abondements versés sur le compte des salariés y seront suivis en temps réel."),
            [.cpf])
        XCTAssertEqual(
            ids(
                "Appel à projets régional : l'espace des financeurs ouvre le 2 mars",
                "Les fondations partenaires y déposent leurs critères de sélection des associations."),
            [], "a funders' space with no training nor second piece")
    }

    func testTheAccountsHoursAreItsMachinery() {
        XCTAssertEqual(
            ids(
                "Heures de DIF oubliées : que devient mon solde ?",
                "Un salarié en reconversion découvre que ses heures n'ont jamais été reportées."),
            [.cpf])
        XCTAssertEqual(
            ids(
                "Élus locaux : vos heures de DIF converties en euros",
                "Le DIF des élus passe en euros : conversion des heures acquises et nouveau plafond de formation."),
            [], "the elected officials' DIF is another scheme")
        XCTAssertEqual(
            ids(
                "Changer d'employeur : mes droits restent attachés à la personne",
                "Une formation commencée chez l'ancien employeur peut se poursuivre."),
            [.cpf])
        XCTAssertEqual(
            ids(
                "Mutuelle d'entreprise : des garanties attachées à la personne après la démission ?",
                "Portabilité pendant douze mois, même pendant une formation de reconversion."),
            [], "a health insurer's portability")
    }

    func testTheFrenchAccountNamedAsSuchCountsBesideAnotherCountry() {
        XCTAssertEqual(
            ids("Frontalier en Suisse : que devient mon compte formation français ?"), [.cpf])
        XCTAssertEqual(ids("Frontalier en Suisse : que devient mon compte formation ?"), [])
    }

    func testTheEuropeanIndividualLearningAccountIsNotTheCPF() {
        XCTAssertEqual(
            ids(
                "Comptes individuels de formation : la recommandation européenne peine à s'appliquer",
                "Seuls trois États membres ont ouvert un compte individuel de formation ; les droits individuels restent faibles."
            ),
            [])
        XCTAssertEqual(
            ids(
                "Comptes individuels de formation : le bilan français",
                "Le compte individuel de formation et les droits individuels des salariés, cinq ans après."),
            [.cpf])
    }

    func testSingaporesCPFNamedInFrenchOrBesidePayrollIsNotTheAccount() {
        XCTAssertEqual(ids("Le CPF de Singapour finance désormais la formation continue"), [])
        XCTAssertEqual(ids("HR Manager (CPF and payroll) – Singapore"), [])
        XCTAssertEqual(ids("Le CPF finance désormais la formation continue des plus de 40 ans"), [.cpf])
        XCTAssertEqual(ids("Singapour : le CPF relève ses taux de cotisation"), [], "Singapore's CPF as the subject")
        XCTAssertEqual(ids("CPF withdrawals at 55: the new rules"), [], "the French account has no withdrawals")
        XCTAssertEqual(ids("Frontaliers : le CPF et la Suisse"), [.cpf])
    }

    func testAIItemsNamedByWhatItGeneratesAndByItsTools() {
        XCTAssertEqual(
            ids("Des présentateurs virtuels pour nos modules", "Les vidéos sont produites en trois langues."),
            [.ia])
        XCTAssertEqual(ids("Nos modules tournés avec Synthesia et doublés avec ElevenLabs"), [.ia])
        XCTAssertEqual(ids("Prompt engineer junior – stage – Lille"), [.ia])
        XCTAssertEqual(
            ids("Synthèse vocale : une voix de synthèse pour les lecteurs en difficulté"), [],
            "text-to-speech is not generated content")
    }

    func testWhatAnItemSaysItDoesWithoutIsNotAI() {
        XCTAssertEqual(
            ids(
                "Planning des salles de formation : un outil d'optimisation",
                "Un solveur classique de recherche opérationnelle, sans apprentissage automatique."),
            [])
        XCTAssertEqual(
            ids(
                "Planning des salles de formation : un outil d'optimisation",
                "Un solveur fondé sur l'apprentissage automatique."),
            [.ia])
    }

    func testQualiopisIndicatorNamedByItsSubjectIsItsMachinery() {
        XCTAssertEqual(
            ids(
                "Indicateur handicap : les preuves que l'auditeur demande",
                "Notre organisme de formation a documenté chaque aménagement."),
            [.qualiopi])
        XCTAssertEqual(
            ids(
                "DOETH 2026 : l'indicateur handicap de votre entreprise",
                "L'URSSAF peut demander des preuves lors d'un audit."),
            [], "the employment obligation's declaration, outside training")
    }

    // MARK: Sets I, M and N's families (docs/topics.md, "Measured", step 11)

    func testTheAccountsBalanceAndItsCreditsAreItsMachinery() {
        XCTAssertEqual(
            ids(
                "Formation annulée : mon solde sera-t-il recrédité ?",
                "L'organisme a annulé la session la veille de l'entrée en formation."),
            [.cpf])
        XCTAssertEqual(
            ids(
                "Fin de contrat d'apprentissage : que contient mon solde de tout compte ?",
                "Indemnités et congés payés non pris : le point avant de quitter votre formation."),
            [], "a contract's final pay is no account's balance")
        XCTAssertEqual(
            ids(
                "Frais bancaires : mon solde recrédité après réclamation",
                "La banque en ligne reconnaît une erreur sur les frais de formation de mon fils."),
            [], "a bank's balance")
    }

    func testQualityAuditorsOfTrainingAreQualiopisMachinery() {
        XCTAssertEqual(
            ids(
                "L'auditeur qualité vérifiera les référents handicap dès 2027",
                "Les organismes de formation devront en apporter la preuve."),
            [.qualiopi])
        XCTAssertEqual(
            ids(
                "Auditeur qualité en agroalimentaire : un métier qui recrute",
                "Non-conformités relevées en usine de transformation : le point sur le métier."),
            [], "a factory's quality auditor")
    }

    func testABloatedProcessIsNoFactory() {
        XCTAssertEqual(
            ids(
                "Veille légale, veille métier, veille pédagogique : nos outils",
                "Démontrer à l'auditeur que vous vous tenez informé, sans usine à gaz documentaire."),
            [.qualiopi])
        XCTAssertEqual(
            ids(
                "Veille légale, veille métier, veille pédagogique : nos outils",
                "Démontrer à l'auditeur de l'usine de Cholet que vous vous tenez informé."),
            [], "a factory's audit")
    }

    func testWhoMustBeCertifiedNamedByMutualisedFunding() {
        XCTAssertEqual(
            ids(
                "Micro-entrepreneurs formateurs : faut-il être certifié ?",
                "Oui, dès qu'un financement mutualisé entre en jeu."),
            [.qualiopi])
        XCTAssertEqual(
            ids(
                "Fonds mutualisés de la branche : les caristes déjà certifiés prioritaires",
                "L'OPCO finance d'abord le recyclage des salariés certifiés CACES."),
            [], "a driver's certificate")
    }

    func testAIItemsNamedByHowAModelIsMadeAndWhatItSaysItDoesWithout() {
        XCTAssertEqual(
            ids("CNIL : un organisme mis en demeure pour avoir entraîné un modèle sur les copies de ses stagiaires"),
            [.ia])
        XCTAssertEqual(ids("Correction des copies : nos formateurs notent sans IA"), [])
        XCTAssertEqual(ids("Correction des copies : nos formateurs notent avec l'IA"), [.ia])
        XCTAssertEqual(
            ids(
                "Algorithme de recommandation de notre LMS",
                "Des règles simples sur le métier et les modules terminés. Pas d'apprentissage automatique."),
            [])
    }

    // MARK: Sets O, P, Q and S (docs/topics.md, step 15)

    func testAThemeListedInAProgrammesTitleIsOneThemeAmongOthers() {
        XCTAssertEqual(
            ids(
                "Forum de l'alternance 2027 : apprentissage, mobilité, intelligence artificielle et handicap au programme"
            ),
            [])
        XCTAssertEqual(ids("Journées de la pédagogie : classe inversée, dyslexie, évaluation et tutorat au menu"), [])
        XCTAssertEqual(ids("Notre catalogue 2027 : bureautique, Qualiopi, management, langues"), [])
        XCTAssertEqual(
            Set(ids("Veille de la quinzaine : CPF, Qualiopi, IA")), [.cpf, .qualiopi, .ia],
            "a title that lists the watch's own topics, no programme, is about them")
        XCTAssertEqual(
            ids("Forum RH : l'IA générative au programme de la plénière"), [.ia],
            "one theme, not listed, is the subject")
    }

    func testTheSkillsAJobOfferWouldLikeAreBoilerplate() {
        XCTAssertEqual(
            ids(
                "Assistant commercial – maîtrise d'Excel et de Copilot appréciée",
                "PME industrielle recrute un assistant pour suivre les devis. La maîtrise des outils d'IA est un plus."),
            [])
        XCTAssertEqual(
            ids(
                "Chargée de communication – appétence pour l'IA générative souhaitée",
                "Une appétence pour l'IA générative est appréciée. Poste basé à Lyon."),
            [])
        XCTAssertEqual(ids("Chargée de communication : l'IA générative s'invite dans les agences"), [.ia])
        XCTAssertEqual(ids("Formatrice en IA générative – CDD 6 mois – Nantes"), [.ia], "the job's own subject")
    }

    func testAnEnglishJobOfferOpensWithHiring() {
        XCTAssertEqual(ids("Hiring: sales trainer for a Qualiopi-certified provider in Lille"), [])
        XCTAssertEqual(ids("Hiring: Qualiopi auditor for training providers"), [.qualiopi], "the job's own subject")
        XCTAssertEqual(ids("Qualiopi-certified providers must publish their results"), [.qualiopi])
    }

    func testTheEnglishVerbPromptingIsNoPromptWriting() {
        XCTAssertEqual(
            ids(
                "Apprenticeship starts fall, prompting calls for new employer incentives",
                "Figures published on Monday show a drop of 8 % in new contracts."),
            [])
        XCTAssertEqual(
            ids("Dyslexia screening", "Screening rates rose sharply, prompting the ministry to fund more specialists."),
            [.neurodiversite])
        XCTAssertEqual(ids("Prompting : trois méthodes pour les équipes pédagogiques"), [.ia])
    }

    func testMachineLearningAnItemSaysItDoesWithoutIsNotAI() {
        XCTAssertEqual(
            ids(
                "Notre planning des formations tourne sur des règles simples",
                "Pas de machine learning, pas de boîte noire : des contraintes écrites par l'équipe."),
            [])
        XCTAssertEqual(ids("Notre planning des formations tourne sur du machine learning"), [.ia])
    }

    func testAIsFakesAutonomousAgentsAndMLOpsAreAI() {
        XCTAssertEqual(ids("Deepfakes : former les équipes à les repérer"), [.ia])
        XCTAssertEqual(ids("Des agents autonomes pour planifier les sessions de formation"), [.ia])
        XCTAssertEqual(ids("Ingénieur MLOps (H/F) – Paris"), [.ia])
        XCTAssertEqual(ids("Agent d'entretien autonome (H/F) – Rennes"), [])
    }

    func testSingaporesFundSpeltOutOrItsSavingsAreNotTheCPF() {
        XCTAssertEqual(ids("Consultant retraite – Central Provident Fund (CPF) des expatriés"), [])
        XCTAssertEqual(ids("Le CPF à Singapour : ce que les expatriés peuvent retirer"), [])
        XCTAssertEqual(ids("L'épargne du CPF bloquée jusqu'à 65 ans"), [])
        XCTAssertEqual(ids("Expatrié de retour en France : mon CPF m'attend-il ?"), [.cpf])
    }

    func testTheApprenticeshipTaxAndPaidLeaveAreNotTheCPFsMachinery() {
        XCTAssertEqual(
            ids(
                "Taxe d'apprentissage : répartir le solde avant le 15 octobre",
                "Les entreprises attribuent leur solde de taxe d'apprentissage aux écoles sur la plateforme de la Caisse "
                    + "des Dépôts, parmi les établissements référencés."),
            [])
        XCTAssertEqual(
            ids(
                "Formation annulée : leur solde recrédité",
                "Les stagiaires ont vu leur solde recrédité par la Caisse des Dépôts après l'annulation."),
            [.cpf])
        XCTAssertEqual(
            ids(
                "Congés payés et arrêt maladie : droits acquis, report, indemnité",
                "Formation d'une journée pour les services RH sur les nouvelles règles."),
            [])
        XCTAssertEqual(
            ids(
                "Droits acquis : vos euros crédités chaque année",
                "Vos droits acquis sont crédités chaque année pour financer une formation."),
            [.cpf])
    }

    func testAnotherSchemesAuditsAndQualityReferentialAreNotQualiopi() {
        XCTAssertEqual(ids("ISO 9001 : préparer l'audit de renouvellement sans consultant"), [])
        XCTAssertEqual(ids("Petite enfance : un référentiel national qualité pour les crèches"), [])
        XCTAssertEqual(
            ids("Label Haute Valeur Environnementale : l'audit de renouvellement fait peur aux viticulteurs"), [])
        XCTAssertEqual(ids("Audit de surveillance : les cinq questions de l'auditeur"), [.qualiopi])
        XCTAssertEqual(ids("Référentiel national qualité : ce qui change pour les CFA"), [.qualiopi])
    }
}
