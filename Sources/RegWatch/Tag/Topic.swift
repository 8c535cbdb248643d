/// The identifier of a topic: lowercase ASCII letters, digits, `-` and `_` (`cpf`, `qualiopi`,
/// `ia`, `neurodiversite`, `apprentissage`). Parsed once at the edge (config, command line).
public struct TopicID: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    CustomStringConvertible, ExpressibleByStringLiteral
{
    public let rawValue: String

    /// Accepts only a well-formed id; returns `nil` for anything else.
    public init?(rawValue: String) {
        guard !rawValue.isEmpty, rawValue.count <= 64,
            rawValue.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
            })
        else { return nil }
        self.rawValue = rawValue
    }

    /// For literals in code and tests; a malformed literal is a programming error.
    public init(stringLiteral value: String) {
        guard let id = TopicID(rawValue: value) else {
            preconditionFailure("malformed topic id literal \(value)")
        }
        self = id
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let id = TopicID(rawValue: raw) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "malformed topic id \(raw)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: TopicID, rhs: TopicID) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let cpf: TopicID = "cpf"
    public static let qualiopi: TopicID = "qualiopi"
    public static let ia: TopicID = "ia"
    public static let neurodiversite: TopicID = "neurodiversite"
}

/// A topic the watch follows, and the rules that decide whether an item is about it.
///
/// This is the shape of a `[[topics]]` table in feeds.toml; each key below is the TOML key
/// of the same name. The four built-in topics come from ``Topic/builtIn``; a table with the
/// same id overrides the keys it sets and keeps the built-in values of the others.
public struct Topic: Sendable, Equatable, Identifiable {
    /// `id`: the stable identifier.
    public var id: TopicID
    /// `label`: the name shown in the digest ("CPF", "Neurodiversité").
    public var label: String
    /// `terms`: words and phrases matched case- and accent-insensitively, with their
    /// plural/feminine and hyphen/space/apostrophe variants. "A + B" is a pair: it matches
    /// when both phrases are in the item ("Caisse des dépôts + titulaire").
    public var terms: [String]
    /// `acronyms`: matched case-sensitively, as whole tokens ("IA" never fires inside "via").
    public var acronyms: [String]
    /// `related`: vocabulary that counts only when a term or acronym of the topic also
    /// matched ("abondement" is about the CPF only in a CPF context).
    public var related: [String]
    /// `machinery`: the topic's machinery — its procedures, roles, money, platform — named
    /// without the topic ("audit de surveillance", "non-conformité", "mes droits"). One piece
    /// is anybody's; two distinct pieces in an item, in the topic's `setting` and nowhere
    /// `elsewhere`, count as one plain term, as salient as the weaker of the two.
    public var machinery: [String] = []
    /// `setting`: where the machinery is the topic's (a training organisation, a training):
    /// at least one of these phrases must be in the item for the machinery to count.
    public var setting: [String] = []
    /// `elsewhere`: what makes the machinery another's (another country: "Allemagne",
    /// "Singapore"): with one of these in the item, the machinery does not count.
    public var elsewhere: [String] = []
    /// `exclude`: phrases whose presence vetoes a match they overlap ("IAE", "SIAE").
    public var exclude: [String]
    /// `passing`: boilerplate phrases that mention the topic in passing ("organisme certifié
    /// Qualiopi" in a job offer, "éligible au CPF" in a catalogue entry): a match inside one
    /// weighs a quarter.
    public var passing: [String]
    /// `threshold`: the score an item needs to be tagged. Default 1.0.
    public var threshold: Double
    /// `model`: whether the learned layer (``TopicModel``) may give this topic beside its
    /// rules. Default true; only the built-in topics have a model.
    public var learned = true

    /// Creates a topic.
    public init(
        id: TopicID, label: String, terms: [String] = [], acronyms: [String] = [],
        related: [String] = [], exclude: [String] = [], passing: [String] = [], threshold: Double = 1.0,
        machinery: [String] = [], setting: [String] = [], elsewhere: [String] = []
    ) {
        self.id = id
        self.label = label
        self.terms = terms
        self.acronyms = acronyms
        self.related = related
        self.exclude = exclude
        self.passing = passing
        self.threshold = threshold
        self.machinery = machinery
        self.setting = setting
        self.elsewhere = elsewhere
    }
}

extension Topic {
    /// The four topics every regwatch follows unless feeds.toml overrides them, in digest order.
    ///
    /// The rules are measured on the labelled sets of `Tests/RegWatchTests/Fixtures/tagging/`
    /// (four authors' tuning sets and a test set) and on `tagging-eval.jsonl`, a regression
    /// check; docs/topics.md explains each choice and how far the figures can be trusted. Compounds are written with their hyphen ("neuro-atypique") so that the joined,
    /// hyphenated and spaced spellings all match.
    public static let builtIn: [Topic] = builtInRules.map { topic in
        if topic.id == .cpf {
            // Catalogue entries say where the money may come from in many ways: "finançable
            // via Mon Compte Formation", "éligible au CPF", "prise en charge possible par le CPF".
            var cpf = topic
            // … or with the reader's own account ("Finançable par votre compte formation",
            // "Mobilisable avec votre CPF").
            let ways = [
                "éligible", "finançable", "financement", "financement possible", "prise en charge possible",
                "mobilisable",
            ]
            let owned = ["votre CPF", "votre compte formation", "votre compte personnel de formation", "ton CPF"]
            let accounts =
                [
                    "CPF", "au CPF", "le CPF", "par le CPF", "via le CPF", "avec le CPF", "Mon Compte Formation",
                    "à Mon Compte Formation", "par Mon Compte Formation", "via Mon Compte Formation",
                    "sur Mon Compte Formation", "avec Mon Compte Formation", "au compte formation",
                    "au compte de formation",
                ] + ["à", "par", "via", "avec", "sur"].flatMap { preposition in owned.map { "\(preposition) \($0)" } }
            cpf.passing += ways.flatMap { way in accounts.map { "\(way) \($0)" } }
            return cpf
        }
        if topic.id == .ia {
            // Job offers and their titles list AI among the skills they would like, not as
            // what the job is about ("appétence pour l'IA appréciée", "maîtrise de Canva et
            // ChatGPT appréciée", "connaissance des outils d'IA souhaitée").
            var ia = topic
            // Suffix forms start at the tool's own word: "l'IA est appréciée" holds "IA est
            // apprécié", and no entry opens on the elided "l", which starts a trie walk at
            // every "l'" of every item.
            let tools = [
                "IA", "IA générative", "outils d'IA", "outils IA", "outils d'IA générative",
                "intelligence artificielle",
                "ChatGPT", "Copilot", "AI", "AI tools",
            ]
            ia.passing += tools.flatMap { tool in
                [
                    "\(tool) apprécié", "\(tool) est apprécié", "\(tool) sont apprécié", "\(tool) souhaité",
                    "\(tool) est souhaité", "\(tool) est un plus", "\(tool) serait un plus", "\(tool) is a plus",
                ]
            }
            ia.passing += (tools + ["l'IA", "l'IA générative", "l'intelligence artificielle"]).map {
                "appétence pour \($0)"
            }
            return ia
        }
        guard topic.id == .qualiopi else { return topic }
        var qualiopi = topic
        // "indicateur 23", "indicateur n° 23", "critère 6", "critère n°6".
        qualiopi.terms += (1...32).flatMap { ["indicateur \($0)", "indicateur n° \($0)"] }
        qualiopi.terms += (1...7).flatMap { ["critère \($0)", "critère n° \($0)"] }
        return qualiopi
    }

    /// Countries other than France: their training accounts are not the CPF.
    private static let otherCountries = [
        "Allemagne", "Germany", "German", "allemand", "Singapour", "Singapore", "Écosse", "Scotland", "Scottish",
        "écossais", "Royaume-Uni", "United Kingdom", "UK", "Angleterre", "England", "Wales", "pays de Galles",
        "Irlande", "Ireland", "Belgique", "Belgium", "belge", "Suisse", "Switzerland", "Québec", "Canada",
        "Pays-Bas", "Netherlands", "Dutch", "néerlandais", "Espagne", "Spain", "Italie", "Italy", "Autriche",
        "Austria", "Danemark", "Denmark", "Suède", "Sweden", "Finlande", "Finland", "Norvège", "Norway",
        "États-Unis", "United States", "Australie", "Australia", "Luxembourg", "Portugal", "Estonie", "Estonia",
        "scandinave", "Scandinavian", "Nouvelle-Zélande", "New Zealand", "suisse", "helvétique", "genevois",
        "britannique", "British", "québécois", "canadien", "espagnol", "italien", "luxembourgeois", "singapourien",
        "Grèce", "Greece", "Lituanie", "Lithuania", "Lettonie", "Latvia", "Pologne", "Poland", "Roumanie", "Romania",
        "Hongrie", "Hungary", "Croatie", "Croatia", "Slovénie", "Slovenia", "Tchéquie", "Czech", "Slovaquie",
        "Bulgarie", "Chypre", "Malte", "Japon", "Japan", "Corée", "Korea", "Chine", "China", "chinois", "Inde",
        "India", "Maroc", "Tunisie", "Sénégal", "Wallonie", "wallon", "Flandre", "flamand",
        // The European Union's own individual learning accounts, a recommendation to its member states.
        "Europe", "européen", "European", "États membres", "Member States",
    ]

    /// Pieces of the CPF's machinery (`machinery`, see ``Topic/machinery``): words that are the
    /// account's more often than not. The commonest money words ("dotation", "abondement",
    /// "solde", "titulaire") are `related`: they may be the second piece, never both.
    private static let cpfMachinery = [
        // Its money, counted as rights.
        "droits individuels", "droits accumulés", "droits cumulés", "droits restants", "mes droits",
        "euros de droits", "mobiliser ses droits", "mobiliser leurs droits", "mobiliser mes droits",
        "mobilisé ses droits",
        "mobilisé leurs droits", "mobilisé mes droits", "co-payment", "flat contribution", "training credit",
        // … paying for a training ("le financer par ses droits"), and the co-payment's own names.
        "par ses droits", "par mes droits", "par leurs droits", "avec ses droits", "avec mes droits",
        "avec leurs droits", "participation obligatoire", "participation du titulaire", "participation des titulaires",
        // Its account, named generically.
        "compte individuel de formation", "individual training account", "personal training account",
        "individual learning account", "personal learning account", "compte des salariés", "compte de leurs salariés",
        "compte de ses salariés",
        // Its generic names, which other countries' accounts share: also terms, but not when
        // another country is named (``Topic/elsewhere``).
        "compte formation", "compte de formation",
        // Its platform, its operator's role, its purchases.
        "plateforme publique", "plateforme nationale", "plateforme de la Caisse des dépôts", "state-run platform",
        "public bank", "account holder", "achat de formation", "déréférencement", "déréférencé",
        // The organisations' side: declaring the training done to be paid.
        "service fait",
        // The platform's terms for the organisations it lists, and its spaces for organisations
        // and funders (the employers' and the regions' top-ups).
        "conditions générales de la plateforme", "conditions générales d'utilisation de la plateforme",
        "CGU de la plateforme", "espace des organismes", "espace des financeurs", "espace financeur",
        "espace des titulaires",
        // The account's hours: the DIF's carried over, converted into euros, rights raised for
        // the least qualified, and kept by the person from one employer to the next.
        "heures DIF", "heures de DIF", "heures converties", "conversion des heures", "droits majorés",
        "attachés à la personne",
        // Its balance said of someone's own account, its yearly crediting, its money debited and
        // credited back after a cancelled training.
        "mon solde", "votre solde", "son solde", "leur solde", "alimentation du compte", "alimentation annuelle",
        "alimentation de son compte", "alimentation de leur compte", "alimentation de votre compte", "recrédité",
        "recréditer", "recrédit", "débité de mon compte", "débité de son compte", "débité de votre compte",
    ]

    /// Pieces of Qualiopi's machinery (`machinery`, see ``Topic/machinery``): words that are the
    /// certification's more often than not. The commonest ("audit", "indicateur", "preuve",
    /// "certificateur") are `related`: they may be the second piece, never both.
    private static let qualiopiMachinery = [
        // Its audits' findings and names.
        "non-conformité", "non-conformité majeure", "non-conformité mineure", "non-conformity", "non-conformities",
        "audit qualité",
        "audit de certification", "quality audit",
        // Who runs it in an organisation, and what it asks for.
        "référent qualité", "responsable qualité", "démarche qualité", "veille réglementaire", "veille légale",
        "veille pédagogique", "veille métier", "veille formalisée", "preuve de veille",
        "procédure de réclamation", "amélioration continue",
        // Its certificate's life.
        "certificat valide", "certificat en cours de validité", "certificat non valide", "certificat n'est pas valide",
        "certificat invalide", "certificat expiré", "certification expirée", "référentiel national",
        "prestataire certifié", "certificat suspendu",
        // Indicator 26 named by its subject.
        "indicateur handicap", "indicateur sur le handicap", "certification suspendue",
        "suspension du certificat", "retrait du certificat", "perte de certification", "perte de la certification",
        "renouvellement de la certification", "renouvellement du certificat", "cycle de certification",
        "obligation de certification", "certification obligatoire", "suspension des certificats",
        "retrait de la marque", "retrait de certification", "retrait de la certification", "extension de certification",
        "extension de la certification", "étendre la certification", "renouveler sa certification",
        "renouvelé sa certification", "renouveler leur certification", "certifié pour les actions",
        "audit intermédiaire", "audit supplémentaire", "audit à distance", "auditeur qualité",
        // … said of one's own certificate, or as what happened to it ("préparer le renouvellement
        // de votre certificat", "dont le certificat a expiré").
        "renouvellement de votre certificat", "renouvellement de son certificat", "renouvellement de leur certificat",
        "renouvellement de notre certificat", "renouvellement de votre certification",
        "renouvellement de sa certification", "renouvellement de leur certification",
        "renouvellement de notre certification", "certificat a expiré", "certificats ont expiré",
        "certification a expiré",
        // Its generic names, which other schemes share (ISO 9001, health care): also terms, but
        // not when another scheme is named (``Topic/elsewhere``).
        "certification qualité", "certificat qualité",
        // The audits of its cycle and its referential: terms too, but ISO 9001 has
        // surveillance and renewal audits, farms' environmental labels renewal audits, crèches a
        // national quality referential (``Topic/elsewhere``).
        "audit de surveillance", "audit initial", "audit de renouvellement", "audit complémentaire",
        "référentiel national qualité", "référentiel national de qualité",
        // Who must hold it, and its names in English.
        "publics et mutualisés", "publics ou mutualisés", "quality label", "quality mark", "quality certificate",
        "national quality",
    ]

    private static let builtInRules: [Topic] = [
        Topic(
            id: .cpf, label: "CPF",
            terms: [
                "compte personnel de formation", "compte formation", "moncompteformation",
                // The organisations' space, EDOF spelt out; the French account named as such
                // (not vetoed where another country is named: "Frontalier en Suisse : … mon
                // compte formation français").
                "espace des organismes de formation", "compte formation français", "compte de formation français",
                // How people write it without the acronym.
                "compte de formation", "compte personnel formation",
                // The CPF's own money words: nothing else is credited with a "dotation employeur".
                "dotation employeur", "droits formation",
                // The operator and the account holder: the Caisse des Dépôts also runs pensions
                // (their "droits acquis"), but its "titulaires" are the CPF's.
                "Caisse des dépôts + titulaire",
                // … and of the offers it publishes: "la CDC" (feminine: the Caisse; "le CDC" is a
                // cahier des charges) with the training organisations, their offers, the rights.
                "Caisse des dépôts + organisme de formation", "Caisse des dépôts + offre de formation",
                "Caisse des dépôts + mobilisation des droits", "la CDC + titulaire", "la CDC + organisme de formation",
                "la CDC + offre de formation", "la CDC + mobilisation des droits",
                // Training rights counted in euros are credited to the account ("droits acquis …
                // crédités"); the pensions' acquired rights are not, and are not about training.
                "droits acquis + crédité", "droits acquis + formation",
                // The CPF's co-payment, named by its health-care words: only training news
                // pays it on a training or as an account holder.
                "reste à charge + formation", "participation forfaitaire + formation",
                "participation forfaitaire + titulaire", "reste à charge + stagiaire",
                "participation forfaitaire + stagiaire",
                // The DIF's hours were carried onto the account: news about them is the CPF's
                // (the elected officials' "DIF élus" is another scheme: excluded below).
                "DIF + compte", "droit individuel à la formation + compte",
                // FranceConnect+ guards every purchase of a training on the account.
                "FranceConnect + formation", "France Connect + formation",
                // The employer's or a funder's top-up of the account: a PEE's "abondement" is
                // not given to a training.
                "abondement + formation", "abondement + titulaire", "abonder + formation", "abonder + titulaire",
                // The account named by its own figures: euros credited each year up to a ceiling
                // (500 € a year up to 5 000 €, 800 € up to 8 000 € for the least qualified).
                // Both figures together: a CET or a bank card has a ceiling, not these two.
                "500 euros + plafond de 5 000 euros", "800 euros + plafond de 8 000 euros",
                // … as "the individual account", "the personal account" of training purchases.
                "compte individuel + plan de développement",
                "compte personnel + achat de formation",
                // … and as "the personal account" beside a training at all (not the CPA, the C2P:
                // excluded below).
                "compte personnel + formation",
                // Training rights counted in euros are the account's since 2019 (not customs
                // duties, royalties or fees: excluded below).
                "euros de droits",
                // … by its public platform, where organisations are listed.
                "référencement sur la plateforme + organisme", "plateforme publique + organisme de formation",
                // … by its co-payment, named by its health-care words next to the trainings that
                // pay it (driving schools, language schools, training organisations).
                "ticket modérateur + organisme de formation", "ticket modérateur + auto-école",
                "ticket modérateur + école de langues", "participation forfaitaire + auto-école",
                "participation forfaitaire + école de langues", "participation forfaitaire + organisme de formation",
                // In English, the account named by its country ("France's training account",
                // "French apprentices' training accounts"): not where another country is named
                // (``Topic/elsewhere``).
                "training account + France", "training account + French", "training accounts + France",
                "training accounts + French",
                // Légifrance titles cite the code: chapter L. 6323 of the code du travail is the CPF.
                "L. 6323", "R. 6323", "D. 6323", "L6323", "R6323", "D6323",
            ],
            // EDOF is the organisations' side of Mon Compte Formation: only ever about the CPF.
            acronyms: ["CPF", "EDOF"],
            // Words of the CPF's money and rules; alone they belong to other worlds (the
            // employer "abondement" of a PEE, the health "reste à charge", a "dotation").
            related: [
                // Other countries have personal training accounts too (Singapore, Scotland):
                // in English, only next to the CPF itself.
                "personal training account", "personal learning account", "individual training account",
                "individual learning account",
                "abondement", "dotation", "reste à charge",
                "participation forfaitaire", "ticket modérateur", "droits à la formation",
                "droits acquis", "Caisse des dépôts", "FranceConnect", "France Connect",
                "démarchage", "fraude", "éligible", "éligibilité", "co-financement",
                "permis de conduire", "bilan de compétences", "MCF",
                // Second pieces of its machinery (below): common words alone.
                "solde", "titulaire", "reste à payer", "restant à charge", "restant à leur charge",
                "restant à sa charge", "référencé", "répertoire spécifique",
            ],
            // Singapore's CPF is its Central Provident Fund (pensions, housing): another CPF.
            exclude: [
                "Central Provident Fund", "CPF Board", "CPF contribution", "CPF savings", "CPF members",
                "CPF LIFE", "Singapore's CPF", "Singapore CPF", "CPF de Singapour", "CPF singapourien",
                // Singapore's payroll jobs handle its contributions ("CPF & payroll"); its savings
                // are withdrawn (the French account has no withdrawals); a title opened by
                // Singapore is about its CPF ("Singapour : le CPF relève ses taux").
                "CPF & payroll", "CPF and payroll", "payroll and CPF", "payroll & CPF", "CPF withdrawal",
                "retrait anticipé du CPF", "retraits anticipés du CPF", "Singapour le CPF", "Singapore the CPF",
                // The fund spelt out before its acronym ("Central Provident Fund (CPF)"), the
                // account placed in Singapore, and its savings: the French account holds none
                // ("l'épargne du CPF", "mon épargne CPF").
                "Central Provident Fund CPF", "CPF à Singapour", "CPF in Singapore", "épargne du CPF", "épargne CPF",
                "épargne de mon CPF", "épargne de son CPF",
                "DIF élus", "DIF des élus",
                // A school's e-learning login is a "training account" too ("create your training
                // account to start our French course").
                "create your training account", "create a training account", "training account login",
                "training account password",
                // "compte" of a phrase: "tenir compte de formations antérieures" is no account.
                "tenir compte", "tient compte", "tiennent compte", "tenu compte", "prendre en compte", "pris en compte",
                "prise en compte", "rendre compte", "rend compte", "rendu compte",
                // "abonder dans le sens de" agrees; it tops up no account.
                "abonder dans le sens",
                // Other personal accounts; a pension's acquired rights; other duties in euros.
                "compte personnel d'activité", "compte personnel de prévention", "compte professionnel de prévention",
                "droits acquis à la retraite", "droits acquis pour la retraite", "droits acquis au régime",
                "droits à la retraite", "droits de douane", "droits d'auteur", "droits de succession",
                "droits d'inscription", "droits de mutation",
                // The balance of a contract's end or of paid leave is no account's.
                "solde de tout compte", "solde de congés", "solde de congé",
                // The apprenticeship tax's balance, which employers share out among schools on a
                // platform the Caisse des Dépôts runs (SOLTéA): a tax, not an account.
                "solde de taxe", "solde de la taxe", "solde de leur taxe", "solde de votre taxe", "solde de TA",
            ],
            // Catalogue entries and job offers say where the money may come from, not what
            // the item is about.
            passing: [
                "éligible CPF", "éligible au CPF", "finançable CPF", "finançable par le CPF",
                "financement CPF possible",
                "référencé sur Mon Compte Formation", "éligible au compte personnel de formation",
                // A job's scope: the CPF is the files it handles, not what the job is about
                // ("Conseiller formation CPF – CDI", "gestion des dossiers CPF et OPCO").
                "dossier CPF", "dossier de financement CPF", "conseiller CPF", "conseiller formation CPF",
            ],
            // The account named by its money, its platform, its operator and its holders: one of
            // them is anybody's (a bank's balance, a pension's rights, a health co-payment), two
            // in an item about training are the CPF's ("la dotation … mobilisable sur la
            // plateforme nationale", "payé ma formation avec mes droits accumulés … 4 200 euros
            // de droits").
            machinery: cpfMachinery,
            setting: [
                "formation", "training", "reconversion", "OPCO", "organisme", "auto-école",
                // The account's other uses: a skills assessment, career advice.
                "bilan de compétences", "évolution professionnelle",
                // Who spends it: trainers, trainees, the language schools it pays most.
                "formateur", "stagiaire", "école de langues", "centre de langues",
            ],
            // Another country's account, or the same money words of pensions, health care and
            // savings plans.
            elsewhere: otherCountries + [
                // The elected officials' own training account.
                "DIF élus", "DIF des élus", "élus locaux", "élu local",
                "régime de retraite", "caisse de retraite", "retraite complémentaire", "pension", "régime général",
                "assurance retraite", "assurance vieillesse", "retraite progressive", "mutuelle",
                "complémentaire santé",
                // Unemployment benefits are rights counted in euros too.
                "droits au chômage", "allocation chômage", "allocations chômage", "assurance chômage",
                "épargne salariale", "PEE", "PERCO",
                // Paid leave is acquired as rights too ("droits acquis, report et indemnités").
                "congés payés", "congé payé",
                // The apprenticeship tax has a balance, a platform at the Caisse des Dépôts
                // (SOLTéA) and listed schools of its own.
                "taxe d'apprentissage", "SOLTéA",
                "plan d'épargne",
                // Other accounts of the same people: time savings, a bank's.
                "compte épargne-temps", "compte courant", "compte bancaire", "livret", "néobanque", "banque en ligne",
                // Private marketplaces of online courses have their own terms and listed sellers.
                "marketplace", "place de marché",
            ]),
        Topic(
            id: .qualiopi, label: "Qualiopi",
            terms: [
                "qualiopi", "référentiel national qualité", "référentiel national de qualité",
                "référentiel national de certification qualité",
                "référentiel qualité", "certification qualité", "certificat qualité",
                // The certification named by what it certifies, and what it makes of an OF.
                "certification des organismes de formation", "certification des prestataires de formation",
                "certification des prestataires d'actions", "organisme de formation certifié",
                // Its certificates are issued for categories of actions ("certification au titre
                // des actions de formation par apprentissage").
                "certification au titre des actions",
                // How the field names the referential's structure: 32 indicators, and each of them
                // or of the 7 criteria by its number ("indicateur 23", "critère 6").
                "32 indicateurs", "trente-deux indicateurs",
                // The audits of the certification cycle: no other audit has these names.
                "audit de surveillance", "audit initial", "audit de renouvellement", "audit complémentaire",
                // A certifier who audits is Qualiopi's; alone, "certificateur" is also the holder
                // of an RNCP certification.
                "certificateur + audit", "certificateur + auditeur",
                // … and so is one the COFRAC accredits (RNCP "certificateurs" are not accredited).
                "certificateur + COFRAC", "certificateur + accréditation", "certificateur + accrédité",
                // Légifrance titles cite the code: chapter L. 6316 is the quality certification.
                "L. 6316", "R. 6316", "D. 6316", "L6316", "R6316", "D6316",
                // The law's own words for who must be certified: providers paid with "fonds
                // publics ou mutualisés".
                "publics ou mutualisés + certifié", "publics ou mutualisés + certification obligatoire",
                "publics ou mutualisés + obligation de certification",
                // … and its other ways of saying it ("dès qu'un financement mutualisé entre en jeu").
                "financement mutualisé + être certifié", "fonds mutualisés + être certifié",
                "financement mutualisé + certification qualité", "fonds mutualisés + certification qualité",
                // English press: France's quality framework for training providers.
                "quality framework + training provider", "quality certification + training provider",
                // Named by its place among other labels: the single referential that replaced
                // them, the quality mark its certifiers withdraw.
                "référentiel unique + label qualité",
                "marque qualité + certificateur",
                // A quality role in a training organisation is the certification's.
                "référent qualité + organisme de formation", "responsable qualité + organisme de formation",
                "référent qualité + centre de formation", "responsable qualité + centre de formation",
                "référent qualité + CFA", "responsable qualité + CFA",
            ],
            acronyms: ["RNQ"],
            // The audit and indicator vocabulary is everywhere (financial audits, employment
            // indicators): it counts only next to Qualiopi itself.
            related: [
                "indicateur", "critère", "7 critères", "sept critères", "audit", "auditeur", "certificateur",
                "organisme certificateur",
                "COFRAC", "non-conformité", "non-conformité majeure", "guide de lecture",
                "certification", "Datadock", "preuve",
            ],
            // "Certification qualité" means Qualiopi in training news, except when it names
            // another scheme.
            exclude: [
                "certification qualité ISO", "certification qualité iso 9001", "certificat qualité ISO",
                "certification qualité des établissements de santé", "qualité de vie",
                // Australia's frameworks for its registered training organisations.
                "VET Quality Framework", "Australian Quality Training Framework",
            ],
            // What an organisation says of itself in a job offer, a catalogue entry or an event.
            passing: [
                "certifié Qualiopi", "labellisé Qualiopi", "organisme certifié Qualiopi",
                // … in English ("a Qualiopi-certified provider").
                "Qualiopi-certified", "Qualiopi certified", "certified by Qualiopi",
                "organisme de formation certifié Qualiopi",
                "certification Qualiopi obtenue",
                // A call for tenders or a referencing campaign states it as a requirement.
                "certification Qualiopi requise", "certification Qualiopi exigée",
                "Qualiopi requis", "Qualiopi exigé",
            ],
            // The certification named by its cycle, its findings, its people and its proofs:
            // one is anybody's (a financial audit, an RNCP certifier), two in a training
            // organisation are Qualiopi's ("les non-conformités majeures relevées lors des
            // audits", "le référent qualité … prépare les audits de surveillance").
            machinery: qualiopiMachinery,
            setting: [
                "organisme de formation", "organismes certifiés", "mon organisme", "notre organisme", "votre organisme",
                "formateur", "formateur indépendant", "prestataire",
                "stagiaire", "apprenant", "CFA", "OPCO", "centre de formation", "action de formation",
                "training provider", "Mon Compte Formation", "compte personnel de formation", "financements publics",
                "fonds publics", "publics et mutualisés", "publics ou mutualisés",
                // The organisations' side of Mon Compte Formation, where an expired certificate
                // closes the account.
                "EDOF",
                // English press names the organisations in many ways.
                "training firm", "training organisation", "training organization", "training company",
                "training centre", "training center", "learner",
            ],
            // Other certifications with audits and non-conformities: management systems,
            // health care, food, the RNCP's professional certifications.
            elsewhere: [
                "ISO 9001", "ISO 14001", "ISO 45001", "ISO 22000", "ISO 27001", "HACCP", "établissement de santé",
                "Haute Autorité de santé", "RNCP",
                "répertoire national des certifications professionnelles", "répertoire spécifique",
                "certification professionnelle", "commissaire aux comptes", "audit financier", "audit comptable",
                "NF Service", "norme NF", "site de production", "agroalimentaire", "IFS Food", "BRCGS",
                // A factory ("l'usine de Cholet"), not a bloated process ("sans usine à gaz").
                "usine de", "en usine", "l'usine", "des usines", "les usines", "d'usine",
                // Organic farming's certifiers audit farms, and so do environmental labels'.
                "agriculture biologique", "exploitation agricole", "Haute Valeur Environnementale", "HVE",
                "agriculteur",
                // Early childhood and social care have national quality referentials of their own.
                "crèche", "accueil du jeune enfant", "petite enfance", "établissements sociaux et médico-sociaux",
                "ESSMS",
                // (The Cour des comptes audits public accounts, but also reports on Qualiopi: not here.)
                "clinique", "hôpital", "soignant", "patient", "EHPAD", "indicateur financier",
                "chambre régionale des comptes", "audit énergétique",
                // … and health care in English.
                "hospital", "clinic", "healthcare", "health care",
                // Tourism's quality label has its own referential, criteria and audits.
                "Qualité Tourisme", "office de tourisme",
                // The employers' disability employment obligation: declared and audited by the URSSAF.
                "DOETH", "obligation d'emploi", "URSSAF",
            ]),
        Topic(
            id: .ia, label: "IA",
            terms: [
                "intelligence artificielle", "artificial intelligence", "IA générative", "modèle génératif",
                "chatgpt", "chat gpt", "openai", "genai", "gen-ai", "agent conversationnel",
                "robot conversationnel", "assistant conversationnel", "chatbot", "chat-bot",
                "apprentissage automatique", "apprentissage profond", "machine learning",
                "deep learning", "réseau de neurones", "réseau neuronal", "modèle de langage",
                "large language model", "language model", "Mistral AI", "Le Chat de Mistral", "Anthropic", "DeepSeek",
                "Midjourney", "NotebookLM", "Dall-E", "Stable Diffusion", "prompt engineering",
                "prompting", "assistant génératif", "outil génératif", "traduction automatique neuronale",
                "traduction neuronale",
                // Conversational agents named by their voice or face: a voice assistant, an
                // avatar that is generated (a player's avatar is not).
                "assistant vocal", "agent vocal", "voice assistant", "voicebot", "callbot",
                "avatar généré", "avatar synthétique", "voix clonée", "clonage de voix",
                // … and by what generates them: presenters, voices, videos and images made by a
                // model, the tools that make them, the people who write the prompts.
                "avatar vidéo généré", "présentateur virtuel", "présentateur synthétique", "génération d'avatars",
                "génération vidéo", "vidéo générée", "image générée", "voix générée", "clonage vocal",
                "Synthesia", "ElevenLabs", "HeyGen", "Perplexity", "prompt engineer", "ingénieur prompt",
                "texte généré par machine", "contenu généré par machine", "machine-generated",
                // … and by how a model is made: trained, fine-tuned on someone's data.
                "entraîner un modèle", "entraîné un modèle", "entraînement d'un modèle", "entraînement des modèles",
                "affiner un modèle", "fine-tuning",
                // … by what it fakes, by agents that act alone, by the trade of putting models
                // into production (every author of the tuning sets labels these `ia`).
                "deepfake", "deep fake", "hypertrucage", "agent autonome", "MLOps",
            ],
            // Case-sensitive whole words: "IA" is not "via", "média", "IAE" or "SIAE";
            // "Copilot" is not "copilote", "Gemini" is the model, not a lowercase word.
            acronyms: ["IA", "IAG", "AI", "GenAI", "GenIA", "IAGen", "LLM", "GPT", "ChatGPT", "Copilot", "Gemini"],
            // Names that are also a wind, a first name or a plain word: evidence only next to a
            // clear AI term.
            related: [
                "algorithme", "prompt", "Mistral", "Claude", "Le Chat", "hallucination",
                "automatisation", "génératif", "agent", "assistant virtuel", "données d'entraînement",
            ],
            // "IA" spelt out as something else: a slogan, not artificial intelligence.
            exclude: [
                "IA intelligence augmentée",
                // What an item says it does without: a rule-based tool, a classic method.
                "sans IA", "sans aucune IA", "sans intelligence artificielle", "sans aucune intelligence artificielle",
                "sans apprentissage automatique", "sans modèle de langage", "without AI", "pas d'IA",
                "pas d'intelligence artificielle", "pas d'apprentissage automatique", "aucune IA",
                "aucune intelligence artificielle",
                // … and in the plural negations of the field ("pas de modèle de langage, pas
                // d'apprentissage", "rule-based, not machine learning").
                "pas de modèle de langage", "pas de machine learning", "pas de deep learning",
                "not machine learning", "no machine learning", "not AI", "no AI",
                "without machine learning", "without artificial intelligence",
                // English "prompting" is also the verb of a cause ("…, prompting calls for
                // tighter rules"): not the writing of prompts.
                "prompting calls", "prompting concerns", "prompting fears", "prompting questions", "prompting debate",
                "prompting workplace", "prompting employers", "prompting requests", "prompting warnings",
                "prompting criticism", "prompting a", "prompting an", "prompting the", "prompting some",
                "prompting many", "prompting more",
            ]),
        Topic(
            id: .neurodiversite, label: "Neurodiversité",
            terms: [
                "neurodiversité", "neuro-diversité", "neurodiversity", "neurodivers", "neuro-divers",
                "neurodivergent", "neuro-divergent", "neurodivergence", "neuro-atypique",
                "neuro-atypie", "neuro-atypical", "neurotypique", "neurotypical",
                "neurodéveloppement", "neuro-développemental", "neurodevelopmental",
                "neuro-inclusion", "neuro-inclusif", "neuro-inclusive",
                "déficit de l'attention", "déficit d'attention", "déficitaire de l'attention",
                "trouble de l'attention", "trouble attentionnel",
                "hyperactivité", "attention deficit disorder", "hyperactivity",
                "dys", "dyslexie", "dyslexique", "dyslexia", "dyslexic",
                "dyspraxie", "dyspraxique", "dyspraxia", "dyscalculie", "dyscalculique", "dyscalculia",
                "dysphasie", "dysphasique", "dysorthographie", "dysgraphie", "dysgraphia",
                "autisme", "autiste", "autistique", "autism", "autistic", "asperger",
                "haut potentiel intellectuel", "haut potentiel émotionnel", "surdoué", "douance", "surdouance",
                // "Haut potentiel" of a learner or a child, not the HR "hauts potentiels".
                "apprenant à haut potentiel", "élève à haut potentiel", "enfant à haut potentiel",
                "adulte à haut potentiel", "personne à haut potentiel",
                "intellectuellement précoce", "Gilles de la Tourette", "syndrome de Tourette",
                "troubles des apprentissages", "troubles d'apprentissage", "troubles de l'apprentissage",
                "troubles spécifiques du langage", "troubles spécifiques des apprentissages",
                "troubles spécifiques de l'apprentissage", "troubles spécifiques d'apprentissage",
                "specific learning difficulties", "learning differences",
            ],
            acronyms: ["TDAH", "TDA", "ADHD", "TSA", "TND", "TSLA", "HPI", "ASD"],
            // General disability vocabulary (most of Agefiph's news) is not neurodiversity; it
            // counts only next to a neurodiversity term. "Haut potentiel" alone is HR talent
            // management ("fidéliser ses hauts potentiels").
            related: [
                "handicap", "handicap invisible", "handicap cognitif", "handicap psychique",
                "inclusion", "inclusif", "accessibilité", "aménagement", "aménagement raisonnable",
                "compensation", "RQTH", "référent handicap", "MDPH", "troubles cognitifs",
                "haut potentiel", "zèbre", "tiers temps", "concentration",
            ]),
    ]
}
