import FeedParser
import Foundation
import XCTest

/// Given a fixture in the shape of a real feed, when it is parsed, then the whole `Feed` value
/// is the expected one.
final class FeedFixtureTests: XCTestCase {
    func testWordPressFeedWithContentEncodedIsPlainTextWithoutScriptsOrImageTitles() throws {
        let feed = try Fixture.parse("wordpress-rss2.xml")
        XCTAssertEqual(
            feed,
            Feed(
                format: .rss20,
                title: "Centre Inffo – Actualités de la formation",
                link: "https://www.centre-inffo.example",
                description: "L'information sur la formation professionnelle",
                updated: utc("2025-12-03T09:12:44Z"),
                ttlMinutes: 60,
                items: [
                    Item(
                        id: "https://www.centre-inffo.example/?p=48213",
                        title: "CPF : le reste à charge passe à 150 euros au 1er janvier",
                        link: "https://www.centre-inffo.example/2025/12/cpf-reste-a-charge/",
                        published: utc("2025-12-03T08:00:00Z"),
                        summary:
                            "Le décret fixe la participation forfaitaire du titulaire à 150 € pour toute action mobilisant le compte personnel de formation.\n\nThe post CPF : le reste à charge appeared first on Centre Inffo.",
                        content:
                            "Le décret n° 2025-1234 fixe la participation forfaitaire du titulaire à 150 €.\n\nCe qui change\n\nLes demandeurs d’emploi restent exonérés ;\nLes abondements de l’employeur aussi.\n\nSource : décret.",
                        authors: ["Rédaction Centre Inffo"],
                        categories: ["CPF", "Financement"]),
                    Item(
                        id: "https://www.centre-inffo.example/?p=48190",
                        title: "Qualiopi : ce que l’audit de surveillance vérifie",
                        link: "https://www.centre-inffo.example/2025/12/qualiopi-audit-surveillance/",
                        published: utc("2025-12-02T14:30:00Z"),
                        summary: "Les 7 critères et 32 indicateurs du référentiel national qualité… […]",
                        authors: ["Élise Martin"],
                        categories: ["Qualiopi"]),
                ]))
    }

    func testGovernmentFeedWithDublinCoreDatesResolvesRelativeLinksAgainstTheFeedLink() throws {
        let feed = try Fixture.parse("travail-emploi-dc.xml")
        XCTAssertEqual(
            feed,
            Feed(
                format: .rss20,
                title: "Ministère du Travail, de la Santé, des Solidarités et des Familles - Actualités",
                link: "https://travail-emploi.gouv.example/actualites",
                description: "Les dernières actualités du ministère",
                items: [
                    Item(
                        title: "Apprentissage : nouvelles aides à l’embauche en 2026",
                        link: "https://travail-emploi.gouv.example/actualites/apprentissage-aides-2026",
                        published: utc("2025-12-01T10:15:00Z"),
                        summary:
                            "Le montant de l'aide exceptionnelle est revu pour les contrats conclus à partir du 1er janvier 2026.",
                        authors: ["DGEFP"],
                        categories: ["Apprentissage"]),
                    Item(
                        title: "France compétences publie le bilan 2024 des certifications",
                        link: "https://travail-emploi.gouv.example/actualites/france-competences-bilan",
                        published: utc("2025-11-28T16:40:00Z"),
                        summary: "Bilan annuel du répertoire national des certifications professionnelles (RNCP)."),
                    Item(title: "Communiqué sans date ni lien", summary: "Texte court."),
                ]))
    }

    func testDocumentURLWinsOverTheFeedLinkForRelativeLinks() throws {
        let feed = try Fixture.parse("travail-emploi-dc.xml", baseURL: "https://miroir.example/flux/rss.xml")
        XCTAssertEqual(feed.items[0].link, "https://miroir.example/actualites/apprentissage-aides-2026")
    }

    func testAtomWithXHTMLContentAndNestedXMLBase() throws {
        let feed = try Fixture.parse("atom-xhtml-base.xml")
        XCTAssertEqual(
            feed,
            Feed(
                format: .atom10,
                title: "Le blog du CFA",
                link: "https://www.example-cfa.fr/blog/",
                description: "Apprentissage & inclusion",
                updated: utc("2025-12-02T10:00:00Z"),
                items: [
                    Item(
                        id: "tag:example-cfa.fr,2025:neurodiversite",
                        title: "Neurodiversité : accueillir les apprentis autistes",
                        link: "https://www.example-cfa.fr/blog/2025/12/neurodiversite",
                        published: utc("2025-12-02T08:30:00Z"),
                        updated: utc("2025-12-02T09:45:12.250Z"),
                        summary: "Aménagements, référent handicap et formation des formateurs.",
                        content:
                            "Le référent handicap est obligatoire dans chaque CFA.\n\nEntretien d’accueil\nPlan d’accompagnement\n\nVoir le guide.",
                        authors: ["Claire Dubois"],
                        categories: ["neurodiversite", "handicap"]),
                    Item(
                        id: "tag:example-cfa.fr,2025:ia",
                        title: "IA générative en formation : premiers retours",
                        link: "https://www.example-cfa.fr/archives/ia-generative",
                        updated: utc("2025-11-30T08:00:00Z"),
                        summary: "Trois organismes témoignent.\n\nDeuxième paragraphe.",
                        content: "Trois organismes témoignent.\n\nDeuxième paragraphe.",
                        authors: ["Marc Lefèvre"]),
                ]))
    }

    func testRDFFeedSkipsTheImageAndUsesRdfAboutAsId() throws {
        let feed = try Fixture.parse("rdf-rss10.xml")
        XCTAssertEqual(
            feed,
            Feed(
                format: .rss10,
                title: "Journal officiel - Formation professionnelle",
                link: "https://www.legifrance.example/jorf",
                description: "Textes publiés au JORF",
                updated: utc("2025-12-03T05:00:00Z"),
                items: [
                    Item(
                        id: "https://www.legifrance.example/jorf/id/JORFTEXT000052000001",
                        title: "Arrêté du 1er décembre 2025 relatif au référentiel national qualité",
                        link: "https://www.legifrance.example/jorf/id/JORFTEXT000052000001",
                        published: utc("2025-12-02T00:00:00Z"),
                        summary: "Modification des indicateurs 22 et 26 du référentiel Qualiopi.",
                        authors: ["Ministère du Travail"],
                        categories: ["Qualité"]),
                    Item(
                        id: "https://www.legifrance.example/jorf/id/JORFTEXT000052000002",
                        title: "Décret n° 2025-1234 du 2 décembre 2025 relatif au compte personnel de formation",
                        link: "https://www.legifrance.example/jorf/id/JORFTEXT000052000002",
                        published: utc("2025-12-02T23:00:00Z")),
                ]))
    }

    func testWindows1252FeedWithUndeclaredHTMLEntitiesAndFrenchDate() throws {
        let feed = try Fixture.parse("windows-1252-entities.xml")
        XCTAssertEqual(
            feed,
            Feed(
                format: .rss09x,
                title: "Actualités de l’OPCO été – 2025",
                link: "https://www.opco.example/",
                description: "Veille « formation » & emploi",
                items: [
                    Item(
                        title: "L’accord de branche étendu — cœur de métier",
                        link: "https://www.opco.example/actu/accord-branche",
                        published: utc("2025-12-01T13:05:00Z"),
                        summary: "Prise en charge à 100 % … coût en €")
                ]))
    }

    func testISO885915FeedDecodesEuroAndOE() throws {
        let feed = try Fixture.parse("iso-8859-15-senat.xml")
        XCTAssertEqual(feed.title, "Sénat - Travaux parlementaires")
        XCTAssertEqual(
            feed.items,
            [
                Item(
                    id: "https://www.senat.example/dossier-legislatif/pjl25-123.html",
                    title: "Projet de loi : coût de la formation € et œuvre des OPCO",
                    link: "https://www.senat.example/dossier-legislatif/pjl25-123.html",
                    published: utc("2025-11-27T18:00:00Z"),
                    summary: "Amendement sur le financement à hauteur de 10 M€.")
            ])
    }

    func testHTTPCharsetOverridesTheXMLDeclaration() throws {
        // The Sénat file declares ISO-8859-15; a server saying windows-1252 is believed: ¤ not €.
        let feed = try Fixture.parse("iso-8859-15-senat.xml", charset: "windows-1252")
        XCTAssertEqual(feed.items.first?.summary, "Amendement sur le financement à hauteur de 10 M¤.")
    }

    func testUTF16FeedWithByteOrderMark() throws {
        let feed = try Fixture.parse("utf16-atom.xml")
        XCTAssertEqual(
            feed,
            Feed(
                format: .atom10,
                title: "Défenseur des droits — Actualités",
                link: "https://www.defenseurdesdroits.example/",
                updated: utc("2025-12-01T12:00:00Z"),
                items: [
                    Item(
                        id: "urn:ddd:2025-190",
                        title: "Handicap et formation : la décision-cadre n° 2025-190",
                        link: "https://www.defenseurdesdroits.example/decision-2025-190",
                        updated: utc("2025-12-01T12:00:00Z"),
                        summary: "Aménagements raisonnables « dès l’entrée en formation ».")
                ]))
    }

    func testBrokenItemDoesNotLoseTheOthers() throws {
        let feed = try Fixture.parse("broken-recovered.xml")
        XCTAssertEqual(
            feed.items,
            [
                Item(
                    id: "ft-presse-1", title: "Premier communiqué", link: "https://www.francetravail.example/presse/1",
                    published: utc("2025-12-01T08:00:00Z"),
                    summary: "Le taux d'accès à la formation progresse & les entrées en AFPR aussi."),
                Item(
                    id: "ft-presse-2", title: "Deuxième communiqué cassé",
                    link: "https://www.francetravail.example/presse/2",
                    published: utc("2025-12-01T09:00:00Z"),
                    summary: "Un élément jamais fermé et un caractère ÿþ invalide"),
                Item(
                    id: "ft-presse-3", title: "Troisième communiqué",
                    link: "https://www.francetravail.example/presse/3",
                    published: utc("2025-12-01T10:00:00Z"), summary: "Toujours là."),
            ])
    }

    func testItemsNestedUnderAnUnclosedExtensionElementAreRecovered() throws {
        // A real podcast feed's <itunes:category> is never closed: every <item> sits inside it.
        let feed = try Fixture.parse("podcast-unclosed-category.xml")
        XCTAssertEqual(feed.title, "Former demain — le podcast de la formation")
        XCTAssertEqual(
            feed.items.map(\.title),
            [
                "Épisode 42 : l'IA générative dans les CFA", "Épisode 41 : Qualiopi, l'audit de surveillance",
                "Épisode 40 : le CPF après la réforme",
            ])
        XCTAssertEqual(
            feed.items.map(\.id), (40...42).reversed().map { "https://podcast.former-demain.example/?p=\($0)" })
        XCTAssertEqual(feed.items.first?.link, "https://podcast.former-demain.example/42")
        XCTAssertEqual(feed.items.first?.published, utc("2026-12-01T05:00:00Z"))
        XCTAssertEqual(feed.items.last?.summary, "Reste à charge et abondements.")
        // The same in Atom: an <entry> inside an unclosed foreign element.
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="urn:x"><title>T</title><x:meta>
            <entry><id>urn:1</id><title>Un</title></entry><entry><id>urn:2</id><title>Deux</title></entry></feed>
            """
        XCTAssertEqual(try FeedParser().parse(Data(atom.utf8)).items.map(\.title), ["Un", "Deux"])
    }

    func testJSONFeed11() throws {
        let feed = try Fixture.parse("jsonfeed-1.1.json")
        XCTAssertEqual(
            feed,
            Feed(
                format: .jsonFeed11,
                title: "Le fil de la Dares",
                link: "https://dares.travail-emploi.example/",
                items: [
                    Item(
                        id: "https://dares.travail-emploi.example/publication/formation-2024",
                        title: "La formation des salariés en 2024",
                        link: "https://dares.travail-emploi.example/publication/formation-2024",
                        published: utc("2025-11-27T08:00:00Z"),
                        updated: utc("2025-11-28T09:00:00Z"),
                        summary: "Accès à la formation selon la taille de l'entreprise.",
                        content: "En 2024, 43 % des salariés ont suivi une formation.\n\nVoir l’étude.",
                        authors: ["Dares"],
                        categories: ["formation", "salariés"]),
                    Item(
                        id: "42",
                        title: "IA et emploi : premiers constats",
                        link: "https://dares.travail-emploi.example/publication/ia-emploi",
                        summary: "Ligne un.\nLigne deux.",
                        content: "Ligne un.\nLigne deux.",
                        authors: ["Jeanne Petit"]),
                ]))
    }

    func testIdentityFallsBackFromIdToLinkToAStableHash() throws {
        let feed = try Fixture.parse("travail-emploi-dc.xml")
        XCTAssertEqual(
            feed.items[0].identity, "https://travail-emploi.gouv.example/actualites/apprentissage-aides-2026")
        let hashed = feed.items[2].identity
        XCTAssertTrue(hashed.hasPrefix("fnv1a64:"), hashed)
        XCTAssertEqual(hashed.count, "fnv1a64:".count + 16)
        XCTAssertEqual(try Fixture.parse("travail-emploi-dc.xml").items[2].identity, hashed)
        XCTAssertNotEqual(Item(title: "Autre communiqué").identity, hashed)
        XCTAssertEqual(Item(id: "guid-1", link: "https://x.example/").identity, "guid-1")
    }
}

/// Link and id rules shared with feedparser, on small documents.
final class FeedLinkRuleTests: XCTestCase {
    func testAtomPrefersTheLastHTMLAlternateAndFallsBackToTheId() throws {
        let feed = try Fixture.parse("atom-links-and-ids.xml")
        XCTAssertEqual(feed.title, "Bold & co")
        XCTAssertEqual(feed.link, "http://b.example/second")
        XCTAssertEqual(feed.items.map(\.link), ["http://b.example/1.html", "urn:x:2"])
        XCTAssertEqual(feed.items.map(\.id), ["urn:x:1", "urn:x:2"])
        XCTAssertEqual(feed.items[0].title, "XHTML & co")
        XCTAssertEqual(feed.items[0].summary, "plain <not a tag>")
        XCTAssertEqual(feed.items[1].published, utc("2025-11-29"))
        XCTAssertEqual(feed.items[1].summary, "Body")
    }

    func testAmpersandsInAttributeValuesAreDecoded() throws {
        // libxml2 hands `&amp;` in an attribute over as the text `&#38;`: query strings of links.
        let document = """
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://a.example/?s=1&amp;t=2">
            <link rel="alternate" href="http://domain/?a=1&amp;b=2"/>
            <entry><id>1</id><link href="/x?a=1&#38;b=2&#x26;c=&amp;amp;"/><title type="text">T &amp; co</title>
            <category term="R&amp;D"/></entry>
            </feed>
            """
        let feed = try FeedParser().parse(Data(document.utf8))
        XCTAssertEqual(feed.link, "http://domain/?a=1&b=2")
        XCTAssertEqual(feed.items.first?.link, "http://a.example/x?a=1&b=2&c=&amp;")
        XCTAssertEqual(feed.items.first?.categories, ["R&D"])
        XCTAssertEqual(feed.items.first?.title, "T & co")
    }

    private func parse(_ document: String, baseURL: String? = nil) throws -> Feed {
        try FeedParser().parse(Data(document.utf8), baseURL: baseURL.flatMap { URL(string: $0) })
    }

    func testFeedparsersOtherNamesForSummaryAndContent() throws {
        let feed = try parse(
            """
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd"
                 xmlns:media="http://search.yahoo.com/mrss/" xmlns:x="http://www.w3.org/1999/xhtml"><channel>
            <item><dc:description>Résumé Dublin Core</dc:description></item>
            <item><itunes:summary>Épisode 12</itunes:summary><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">&lt;p&gt;Long&lt;/p&gt;</content:encoded></item>
            <item><media:group><media:title>t</media:title><media:description>Vidéo</media:description></media:group></item>
            <item><description>Desc</description><itunes:summary>ignored</itunes:summary></item>
            <item><fullitem>&lt;p&gt;Tout l'article&lt;/p&gt;</fullitem></item>
            <item><x:body><x:p>Corps <x:b>XHTML</x:b></x:p></x:body></item>
            <item><summary>Sommaire</summary><description>Description</description></item>
            </channel></rss>
            """)
        XCTAssertEqual(
            feed.items.map(\.summary),
            ["Résumé Dublin Core", "Épisode 12", "Vidéo", "Desc", "Tout l'article", "Corps XHTML", "Sommaire"])
        XCTAssertEqual(feed.items.map(\.content), [nil, "Long", nil, nil, "Tout l'article", "Corps XHTML", nil])
    }

    func testAnAtomFeedWithoutLinkIsKnownByItsId() throws {
        let feed = try parse(
            #"<feed xmlns="http://www.w3.org/2005/Atom"><id>/relative/link</id><entry><id>e1</id></entry></feed>"#,
            baseURL: "https://base.example/dir/feed.xml")
        XCTAssertEqual(feed.link, "https://base.example/relative/link")
        XCTAssertEqual(feed.items.first?.link, "https://base.example/dir/e1", "entries as before")
        let linked = try parse(
            #"<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><link href="http://l.example/"/></feed>"#)
        XCTAssertEqual(linked.link, "http://l.example/", "a link wins over the id")
    }

    func testAGuidThatIsNoPermalinkStillResolves() throws {
        // feedparser would keep "abc"; regwatch stores items under their id, so it stays as it was.
        let feed = try parse(
            #"<rss version="2.0" xml:base="http://dom.test/"><channel><item><guid isPermaLink="false">abc</guid></item><item><guid>abc</guid></item></channel></rss>"#
        )
        XCTAssertEqual(feed.items.map(\.id), ["http://dom.test/abc", "http://dom.test/abc"])
    }

    func testAFeedElementWithoutNamespaceIsAtomAndTakesItemsForEntries() throws {
        let feed = try parse(
            #"<feed xmlns:b="http://dom.test/ns"><title>Sans espace</title><entry><id b:a="x">right</id></entry><item><title>item</title></item></feed>"#
        )
        XCTAssertEqual(feed.format, .atom10)
        XCTAssertEqual(feed.title, "Sans espace")
        XCTAssertEqual(feed.items.map(\.id), ["right", nil])
        XCTAssertEqual(feed.items.map(\.title), [nil, "item"])
    }

    func testRelativeGuidResolvesAgainstXMLBaseButNeverAgainstTheFeedLink() throws {
        let feed = try Fixture.parse("rss-xml-base.xml")
        XCTAssertEqual(feed.link, "http://c.example/base/index.html")
        XCTAssertEqual(feed.items.map(\.id), ["http://c.example/base/sub/g1", nil, nil])
        XCTAssertEqual(
            feed.items.map(\.link),
            ["http://c.example/base/sub/page.html", "http://c.example/abs", "http://c.example/z"])
        XCTAssertEqual(feed.items[0].summary, "lien")
        XCTAssertNil(feed.items[2].published, "an unparseable date is null, never now")

        let escaping = try Fixture.parse("rss-escaping.xml")
        XCTAssertEqual(escaping.items[0].id, "abc-123", "no xml:base, no document URL: the guid as written")
        XCTAssertEqual(
            try Fixture.parse("rss-escaping.xml", baseURL: "https://doc.example/rss").items[0].id,
            "https://doc.example/abc-123")
    }

    func testTitlesThatLookLikeHTMLAreConvertedAndOthersKeptAsWritten() throws {
        let feed = try Fixture.parse("rss-escaping.xml")
        XCTAssertEqual(feed.title, "AT&T news")
        XCTAssertEqual(feed.items.map(\.title), ["a < b and c > d", "Tom & Jerry", "Café crème"])
        XCTAssertEqual(feed.items[0].summary, "x < y")
        XCTAssertEqual(feed.items[1].link, "http://a.example/p/2")
        XCTAssertEqual(feed.items[2].published, utc("2025-12-01T07:30:00Z"))
    }

    func testRSS090InTheNetscapeNamespace() throws {
        let feed = try Fixture.parse("rss090-rdf.xml")
        XCTAssertEqual(
            feed,
            Feed(
                format: .rss09x, title: "RSS 0.90", link: "http://e.example/", description: "old",
                items: [Item(title: "Item 0.90", link: "http://e.example/1")]))
    }
}
