// The problems of a feeds.toml in both languages: "FILE:LINE: " + one of these. `label` is the
// table as written (`[fetch]`, `[[feeds]]`, `[[deliver]] equipe`), `key` the key at fault,
// `value` the value as written, quoted; TOML words (tables, keys, `true`) stay as written.

extension Wording {
    static let configUnreadable = Wording(
        "impossible de lire le fichier de configuration (vérifier ses droits)",
        "cannot read the config file (check its permissions)")
    static let configNotUTF8 = Wording(
        "pas du texte UTF-8 (enregistrer feeds.toml en UTF-8)", "not UTF-8 text (save feeds.toml as UTF-8)")
    static let invalidConfiguration = Wording("configuration invalide", "invalid configuration")

    static func configMissing(namedByEnvironment: Bool, initCommand: String, starterHere: Bool) -> Wording {
        let file = StarterConfiguration.fileName
        return Wording(
            "aucun fichier de configuration à ce chemin\(namedByEnvironment ? " (donné par $REGWATCH_CONFIG)" : "") : "
                + "vérifier le chemin, ou "
                + (starterHere
                    ? "en écrire un pour commencer avec `\(initCommand)`"
                    : "`\(initCommand)` écrit un \(file) pour commencer dans ce dossier"),
            "no such config file at this path\(namedByEnvironment ? " (named by $REGWATCH_CONFIG)" : ""): "
                + "check the path, or "
                + (starterHere
                    ? "write a starting one there with `\(initCommand)`"
                    : "`\(initCommand)` writes a starting \(file) in that folder"))
    }

    static func noConfigFound(system: String) -> Wording {
        Wording(
            "aucun fichier de configuration trouvé (essayés : ./feeds.toml et \(system)) : passer --config FICHIER, "
                + "définir REGWATCH_CONFIG, ou écrire un ./feeds.toml pour commencer avec `watchctl init`",
            "no config file found (tried ./feeds.toml and \(system)): pass --config FILE, set REGWATCH_CONFIG, "
                + "or write a starting ./feeds.toml with `watchctl init`")
    }

    static func firstProblem(_ first: Wording, more: Int) -> Wording {
        guard more > 0 else { return first }
        return Wording(
            "\(first.french) (et \(more) de plus : lancer `watchctl check-config`)",
            "\(first.english) (and \(more) more: run `watchctl check-config`)")
    }

    static func tomlBadHeader(_ header: String) -> Wording {
        Wording(
            "erreur de syntaxe TOML : en-tête de table \"\(header)\" : un nom de table commence par une lettre, "
                + "un chiffre, _, - ou un guillemet",
            "TOML syntax error: table header \"\(header)\": a table name starts with a letter, "
                + "a digit, _, - or a quote")
    }

    /// `detail` is the TOML parser's own words (English only).
    static func tomlSyntax(_ detail: String) -> Wording {
        Wording("erreur de syntaxe TOML : \(detail)", "TOML syntax error: \(detail)")
    }

    // MARK: values

    static func mustNotBeEmpty(_ label: String, _ key: String) -> Wording {
        Wording("\(label) \(key) : ne doit pas être vide", "\(label) \(key): must not be empty")
    }
    static func mustBePositive(_ label: String, _ key: String) -> Wording {
        Wording("\(label) \(key) : doit être supérieur à 0", "\(label) \(key): must be greater than 0")
    }
    static func notTimeZone(_ label: String, _ value: String) -> Wording {
        Wording(
            "\(label) time_zone : \(value) n'est pas un fuseau horaire (p. ex. \"Europe/Paris\")",
            "\(label) time_zone: \(value) is not a time zone (e.g. \"Europe/Paris\")")
    }
    static func languageNotSupported(_ label: String, _ value: String) -> Wording {
        Wording(
            "\(label) language : \(value) n'est pas prise en charge (fr ou en)",
            "\(label) language: \(value) is not supported (fr or en)")
    }
    static func notEmailAddress(_ label: String, _ key: String, _ value: String) -> Wording {
        Wording(
            "\(label) \(key) : \(value) n'est pas une adresse électronique",
            "\(label) \(key): \(value) is not an email address")
    }
    static func needsAnAddress(_ label: String) -> Wording {
        Wording("\(label) to : il faut au moins une adresse", "\(label) to: needs at least one address")
    }
    static func notSMTPURL(_ label: String, _ value: String) -> Wording {
        Wording(
            "\(label) smtp_url : \(value) n'est pas une URL smtp:// ou smtps://",
            "\(label) smtp_url: \(value) is not an smtp:// or smtps:// URL")
    }
    static func notTopicID(_ label: String, _ value: String) -> Wording {
        Wording(
            "\(label) id : \(value) n'est pas un identifiant de thème (minuscules, chiffres, - et _)",
            "\(label) id: \(value) is not a topic id (lowercase letters, digits, - and _)")
    }
    static func definedTwice(_ label: String, _ value: String) -> Wording {
        Wording("\(label) id : \(value) est défini deux fois", "\(label) id: \(value) is defined twice")
    }
    static func topicNeedsTerms(_ label: String, _ id: String) -> Wording {
        Wording(
            "\(label) \(id) : un nouveau thème a besoin de termes (terms) ou de sigles (acronyms) à reconnaître",
            "\(label) \(id): a new topic needs terms or acronyms to match")
    }
    static func notHTTPURL(_ label: String, _ key: String, _ value: String) -> Wording {
        Wording(
            "\(label) \(key) : \(value) n'est pas une URL http(s)", "\(label) \(key): \(value) is not an http(s) URL")
    }
    static func alreadyListed(_ label: String, _ value: String, line: Int?) -> Wording {
        let at = line.map(String.init) ?? "?"
        return Wording(
            "\(label) url : \(value) figure déjà à la ligne \(at)",
            "\(label) url: \(value) is already listed at line \(at)")
    }
    static func unknownTopic(_ label: String, _ value: String, known: String) -> Wording {
        Wording(
            "\(label) topics : thème inconnu \(value) (connus : \(known))",
            "\(label) topics: unknown topic \(value) (known: \(known))")
    }
    static func weightOutOfRange(_ label: String, _ key: String, _ value: Double) -> Wording {
        Wording(
            "\(label) \(key) : \(value) hors limites (plus de 0, au plus 100)",
            "\(label) \(key): \(value) is out of range (greater than 0, at most 100)")
    }
    static func badTargetName(_ label: String, _ value: String) -> Wording {
        Wording(
            "\(label) name : \(value) ne doit avoir que des lettres, des chiffres, - ou _",
            "\(label) name: \(value) must be letters, digits, - or _")
    }
    static func alreadyUsed(_ label: String, _ value: String, line: Int?) -> Wording {
        let at = line.map(String.init) ?? "?"
        return Wording(
            "\(label) name : \(value) est déjà pris à la ligne \(at)",
            "\(label) name: \(value) is already used at line \(at)")
    }
    static func notVariableName(_ label: String, _ key: String, _ value: String) -> Wording {
        Wording(
            "\(label) \(key) : \(value) n'est pas un nom de variable",
            "\(label) \(key): \(value) is not a variable name")
    }
    static func secretInFile(_ label: String, _ key: String) -> Wording {
        Wording(
            "\(label) \(key) : un secret ne va jamais dans feeds.toml ; écrire \(key)_env = \"VARIABLE\" et définir la variable",
            "\(label) \(key): a secret never goes in feeds.toml; write \(key)_env = \"VARIABLE\" and set the variable")
    }
    static func notRoom(_ label: String, _ value: String) -> Wording {
        Wording(
            "\(label) room : \(value) n'est ni un identifiant de salon (!id:serveur) ni un alias (#nom:serveur)",
            "\(label) room: \(value) is not a room id (!id:server) or alias (#name:server)")
    }
    static func emailNeedsSection(_ label: String) -> Wording {
        Wording(
            "\(label) type : email demande une section [email] (from, to, smtp_url)",
            "\(label) type: email needs an [email] section (from, to, smtp_url)")
    }
    static func unknownTargetType(_ label: String, _ value: String, _ types: [String]) -> Wording {
        let list = types.joined(separator: ", ")
        return Wording(
            "\(label) type : type inconnu \(value) (\(list))", "\(label) type: unknown type \(value) (\(list))")
    }
    static func outOfRange(_ label: String, _ key: String, _ value: Int, max: Int) -> Wording {
        Wording(
            "\(label) \(key) : \(value) hors limites (1 à \(max))",
            "\(label) \(key): \(value) is out of range (1 to \(max))")
    }
    static func notDuration(_ label: String, _ key: String, _ value: String) -> Wording {
        Wording(
            "\(label) \(key) : \(value) n'est pas une durée (écrire \"90s\", \"30m\", \"2h\" ou \"1d\")",
            "\(label) \(key): \(value) is not a duration (write \"90s\", \"30m\", \"2h\" or \"1d\")")
    }
    static func notSize(_ label: String, _ key: String, _ value: String) -> Wording {
        Wording(
            "\(label) \(key) : \(value) n'est pas une taille (écrire \"10MiB\", \"512KiB\" ou un nombre d'octets)",
            "\(label) \(key): \(value) is not a size (write \"10MiB\", \"512KiB\" or bytes)")
    }
    static func notKind(_ label: String, _ key: String, _ value: String) -> Wording {
        Wording(
            "\(label) \(key) : \(value) n'est pas un type de source (écrire \"feed\", \"page\" ou \"change\")",
            "\(label) \(key): \(value) is not a kind (write \"feed\", \"page\" or \"change\")")
    }
    static func onlyWithKind(_ label: String, _ key: String, wanted: String, actual: String) -> Wording {
        Wording(
            "\(label) \(key) : lu seulement avec kind = \"\(wanted)\" (cette entrée est kind = \"\(actual)\")",
            "\(label) \(key): only read with kind = \"\(wanted)\" (this entry is kind = \"\(actual)\")")
    }
    /// `reason` is `PageRecipe.problem(in:)`'s: an empty expression, or one libxml2 cannot compile.
    static func badXPath(_ label: String, _ key: String, _ value: String, reason: String) -> Wording {
        let empty = reason.contains("empty")
        return Wording(
            "\(label) \(key) : \(value) est "
                + (empty ? "une expression XPath vide" : "une expression XPath 1.0 invalide")
                + " (l'essayer avec `watchctl fetch URL --kind page`)",
            "\(label) \(key): \(value) is \(reason) (try it with `watchctl fetch URL --kind page`)")
    }
    /// `title` and `name` on one feed or change watch, where both are its display name; `key` is
    /// the one at fault as written (`name` in feeds.toml, `regwatch:name` in an OPML outline).
    static func titleAndName(_ label: String, _ key: String) -> Wording {
        Wording(
            "\(label) \(key) : title et name nomment tous deux cette source : n'en garder qu'un "
                + "(name vaut pour tous les types de source)",
            "\(label) \(key): title and name both name this source: keep one (name works for every kind)")
    }
    static func notRegex(_ label: String, _ key: String, _ value: String) -> Wording {
        Wording(
            "\(label) \(key) : \(value) n'est pas une expression régulière",
            "\(label) \(key): \(value) is not a regular expression")
    }

    // MARK: missing keys

    /// `LABEL KEY: missing (HINT)`.
    static func missing(_ label: String, _ key: String, _ hint: Wording) -> Wording {
        Wording("\(label) \(key) : manquant (\(hint.french))", "\(label) \(key): missing (\(hint.english))")
    }
    static let senderAddress = Wording("l'adresse de l'expéditeur", "the sender address")
    static let recipientList = Wording("une liste d'adresses de destinataires", "a list of recipient addresses")
    static let feedURLHint = Wording(
        "chaque flux a besoin de url = \"https://…\"", "every feed needs url = \"https://…\"")
    static let targetURLHint = Wording(
        "url = \"https://…\", ou url_env = \"VARIABLE\" quand l'URL est un secret",
        "url = \"https://…\", or url_env = \"VARIABLE\" when the URL is a secret")
    static let roomHint = Wording("\"!id:serveur\" ou \"#alias:serveur\"", "\"!id:server\" or \"#alias:server\"")
    static let notionDatabaseHint = Wording("l'id de la base Notion", "the id of the Notion database")
    static let itemsHint = Wording(
        "title, link, date et summary se lisent dans chaque article",
        "title, link, date and summary are read inside each item")
    static func example(_ text: String) -> Wording { Wording("p. ex. \(text)", "e.g. \(text)") }
    static func list(_ names: [String]) -> Wording { .untranslated(names.joined(separator: ", ")) }
    static func variableHolding(_ key: String) -> Wording {
        Wording("la variable qui contient \(key)", "the variable that holds the \(key)")
    }

    // MARK: types

    /// What a key's value should have been.
    static let aString = Wording("une chaîne", "a string")
    static let aStringList = Wording("une liste de chaînes", "a list of strings")
    /// `regwatch:ignore` of an OPML outline (OPMLImport).
    static let aJSONStringList = Wording("une liste JSON de chaînes", "a JSON array of strings")
    static let aBoolean = Wording("true ou false", "true or false")
    static let aNumber = Wording("un nombre", "a number")
    static let aWholeNumber = Wording("un nombre entier", "a whole number")
    static let aDuration = Wording(
        "une durée entre guillemets comme \"90s\", \"30m\", \"2h\" ou \"1d\"",
        "a duration string such as \"90s\", \"30m\", \"2h\" or \"1d\"")
    static let aSize = Wording("une taille comme \"10MiB\"", "a size such as \"10MiB\"")
    static let aList = Wording("une liste", "a list")
    static let aTable = Wording("une table", "a table")
    static let aDate = Wording("une date", "a date")
    static func theString(_ value: String) -> Wording { Wording("la chaîne \(value)", "the string \(value)") }
    static func theNumber(_ value: String) -> Wording { Wording("le nombre \(value)", "the number \(value)") }

    /// `LABEL KEY: expected WANTED, found FOUND[ in it]`.
    static func expected(_ label: String, _ key: String, _ wanted: Wording, found: Wording, inIt: Bool = false)
        -> Wording
    {
        Wording(
            "\(label) \(key) : on attend \(wanted.french), trouvé \(found.french)\(inIt ? " dedans" : "")",
            "\(label) \(key): expected \(wanted.english), found \(found.english)\(inIt ? " in it" : "")")
    }
    static func expectedTable(_ key: String, found: Wording) -> Wording {
        Wording(
            "\(key) : on attend une table [\(key)], trouvé \(found.french)",
            "\(key): expected a table [\(key)], found \(found.english)")
    }
    static func expectedTables(_ key: String, found: Wording) -> Wording {
        Wording(
            "\(key) : on attend des tables [[\(key)]], trouvé \(found.french)",
            "\(key): expected [[\(key)]] tables, found \(found.english)")
    }
    static func writeAsArrayOfTables(_ key: String) -> Wording {
        Wording(
            "[\(key)] : écrire chaque entrée comme une table [[\(key)]]",
            "[\(key)]: write each entry as a [[\(key)]] table")
    }
    /// A key (or, with no label, a top-level section) that feeds.toml does not know.
    static func unknownKey(_ label: String?, _ key: String, guess: String?) -> Wording {
        let suffix = Wording(
            guess.map { " (vouliez-vous dire \($0) ?)" } ?? "", guess.map { " (did you mean \($0)?)" } ?? "")
        guard let label else {
            return Wording("[\(key)] : section inconnue" + suffix.french, "[\(key)]: unknown section" + suffix.english)
        }
        return Wording(
            "\(label) \(key) : clé inconnue" + suffix.french, "\(label) \(key): unknown key" + suffix.english)
    }
}
