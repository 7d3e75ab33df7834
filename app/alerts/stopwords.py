"""Small stop-word lists for key-term extraction (function words that say nothing of a case)."""

from __future__ import annotations

_WORDS = {
    "en": """a about above after again against all also am an and any are as at be because been
        before being below between both but by can could did do does doing down during each few
        for from further had has have having he her here hers herself him himself his how i if
        in into is it its itself just me more most my myself no nor not now of off on once only
        or other our ours out over own same she should so some such than that the their theirs
        them then there these they this those through to too under until up very was we were
        what when where which while who whom why will with would you your yours yesterday today
        said says told also got get one two day week last someone something nobody found asked
        ask asks morning evening night
        across along among around away back behind however though although unless whether either
        neither yet still already always never often sometimes usually ever even almost quite
        rather really much many lots little less least several every everyone everybody
        everything anyone anybody anything somebody somewhere anywhere everywhere nowhere
        nothing none else another others us yourself cannot can't couldn't may might must won't
        done don't doesn't didn't haven't hasn't isn't aren't wasn't weren't i'm you're he's
        she's it's we're they're i've we've they've i'll we'll that's there's what's make made
        want wanted know knew known say saying sees saw seen go went going come came help helps
        helped gets give gave take took think thought tell look seem keep need try since near
        ago later soon recently tomorrow weeks month months year years time times next actually
        maybe perhaps probably enough please people thing things way well""",
    "de": """aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei
        bin bis bist da damit dann das dass dein deine dem den der des dessen dich die dies diese
        diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines er es
        etwas euch euer für gegen gestern hat hatte hatten heute hier hin hinter ich ihm ihn ihnen
        ihr ihre im in ist ja jede jedem jeden jeder jetzt kann kein keine mein meine mich mir mit
        nach nicht nichts noch nun nur ob oder ohne sehr sein seine sich sie sind so soll sollte
        sondern über um und uns unser unter vom von vor war waren warum was weil weiter welche
        wenn wer werden wie wieder will wir wird wo wurde wurden zu zum zur zwischen gesagt
        man jemand jemanden niemand niemanden irgendwie irgendwo irgendwann unsere unserem
        unseren unserer meinem meinen meiner seinem seinen seiner ihrem ihren ihrer deren denen
        welcher welches welchen solche solchen selbst beide beiden beides einige manche viele
        vielen vieles wenig wenige mehr meisten ab außer außerdem bevor nachdem während seit
        trotz wegen statt gegenüber bzw sowie obwohl falls denn deshalb daher trotzdem jedoch
        allerdings sonst zwar immer nie niemals oft manchmal selten schon bereits erst gerade
        eben bald später vorher nachher danach dabei dafür dagegen daran darauf daraus darin
        darüber davon dazu her herum morgen letzte letzten nächste nächsten ganz ziemlich
        wirklich eigentlich einfach fast kaum etwa genau halt mal wohl vielleicht natürlich
        leider sogar weniger besonders zusammen überall gewesen sei wäre wären werde wirst
        worden würde würden habe hast haben habt hätte gehabt kannst können konnte konnten
        könnte muss musst müssen müsste sollen sollten darf wollen wollte möchte mache macht
        machen machte gemacht tun tut getan weiß weißt wissen wusste wussten sagt sagen sagte
        sieht sehen sah gesehen geht gehen ging gegangen kommt kommen kam gekommen hilft helfen
        geholfen gibt geben gaben nimmt nehmen finde findet finden denke denkt denken glaube
        glaubt glauben lassen bleiben steht stehen heißt bekommen bekommt versucht leute tage
        woche wochen monat jahr jahre zeit bitte ausser ausserdem dafuer darueber fuer
        gegenueber heisst haette koennen koennte moechte muessen muesste natuerlich naechste
        naechsten spaeter weiss weisst waehrend waere waeren wuerde wuerden ueber ueberall""",
    "pl": """a aby ale bardzo bez bo był była było były być będzie ci co czy dla do dziś gdy gdzie
        go i ich ile im inne jak jako je jego jej jest jestem jeszcze jeśli już ja jednak ją każdy
        kiedy kto która które którzy który ku ma mają mam mi mnie mu my na nad nam nas nawet nic
        nie niego niej nim nich no o od oraz po pod przez przy się sobie są ta tak także tam te
        tego tej ten też to tu tylko tym u w we wczoraj wie więc wszystko z za ze że żeby dziś
        ty on ona ono oni one mną ciebie cię tobie tobą niemu nią nami nimi swój swoja swoje mój
        moja moje nasz nasza nasze temu tą tych taki taka takie jaki jaka jakie którego której
        których któremu kogo komu kim czego ktoś kogoś coś czegoś nikt wszyscy wszystkich
        wszystkim wszystkie cały cała całe każda każde każdego każdej sam sama samo sami siebie
        sobą albo ani lecz czyli zatem dlatego ponieważ gdyż chociaż choć jeżeli przed między
        według podczas obok zamiast dzięki mimo teraz wtedy potem zawsze nigdy często czasem
        czasami ciągle wciąż znowu znów dzisiaj jutro ostatnio później wcześniej dość całkiem
        trochę mało dużo więcej mniej również prawie naprawdę chyba może właśnie gdzieś tyle
        jesteś byli będę będą masz mamy miał miała mieli mieć można trzeba musi muszę musimy
        muszą musiał mogę możesz mogą mógł mogli móc chcę chcesz chce chcemy chcą chciał wiem
        wiesz wiemy wiedzą robi robią robił robili zrobić zrobił zrobili mówi mówią mówił mówili
        powiedział powiedzieli powiedzieć widzę widzi widzą widać zobaczyć idzie idą poszedł
        poszli iść przyszedł przyszli pomóc pomaga pomógł pomóż pomoc pomocy proszę prosimy
        ludzie rok roku lat dni dzień tydzień miesiąc czas byc byl byla bylo byly bedzie beda
        bede cala cale calkiem caly chcial chca chociaz choc ciagle cie cos czegos czesto dosc
        duzo dzien dzieki dzis gdyz gdzies ida isc jestes jesli jezeli juz kazda kazde kazdego
        kazdej kazdy kogos ktos ktora ktore ktorego ktorej ktoremu ktory ktorych ktorzy maja
        malo mial miala miesiac miec miedzy mna moga moge moze mozesz mozna musial musza musze
        mogl moj mowi mowili mowia mowil naprawde nia pomogl pomoz poniewaz poszedl powiedzial
        powiedziec prosze przyszedl pozniej robia robil rowniez sie soba swoj sa takze tez toba
        troche tydzien wciaz wczesniej wedlug widac widza widze wiedza wiec wiecej wlasnie znow
        zobaczyc zrobic zrobil""",
    "ro": """a acea aceasta această aceea acei acel acest acesta aceste acestea acestei acestor ai
        al ale am apoi ar are as asta au avea azi ca care cand când ce cea cei cel cele cu cum
        da dacă dar de deci din după e ea ei el ele era este eu fi fie fost i ieri iar in în
        încă îi îl își la le lor lui m-am mai mult ne nici nu o pe pentru prin sa să se si și
        sunt tot toate toți un una unde unei unor unui voi vor despre foarte
        tu noi mă mie mine ție tine sine meu mea mei mele tău tăi tale său săi sale nostru
        noastră noștri noastre aceștia acestui acela ăsta astea ăla aia ăia alea cine ceva
        nimeni nimic orice fiecare alta alți alte altul alții unii unele niște sau ori însă ci
        că deși chiar până spre către fără lângă sub peste între contra împotriva dintre acum
        atunci mereu întotdeauna niciodată uneori deja doar numai abia aproape prea puțin multe
        mulți multă astăzi mâine aseară recent curând târziu aici acolo așa astfel totuși oricum
        poate probabil desigur bine ești suntem erau eram fiind vei vom aș avut pot poți putem
        putea putut trebuie vreau vrei vrea vrem vrut știu știi știe știm fac faci facem făcut
        zice zic zis spune spun spus văd vezi vede vedem văzut merge merg mers mergem vine vin
        venit ajută ajutat ajuta ajutor dau dat luat oameni zi zile săptămână săptămâna lună ani
        anul timp vă acestia aceştia alti alţi altii alţii aseara astazi aş asa aşa curand catre
        daca desi deşi dupa esti eşti facut fara luna langa multa mulţi maine ma niciodata niste
        nişte noastra nostri noştri poti poţi puţin pana sai saptamana totusi totuşi toti toţi
        tarziu tai tau va vad vazut ii il impotriva inca insa intotdeauna intre isi îşi ala şi
        stie ştie stii ştii stim ştim stiu ştiu tie ţie""",
    "hu": """a az azt aki akik amely amelyek ami amit amikor azonban be csak de egy egyik el ez ezt
        ezek fel hogy ha hanem hát is ki le meg mert mi mint mit már még mind most nagyon nem
        neki nincs ő ők olyan pedig sem szerint tegnap teljesen több úgy után vagy van vannak
        volt voltak voltam én te mi ti ők ma itt ott ezért azért egyes minden
        ön engem téged őt minket őket nekik vele velük tőle nála nálunk róla maga magát saját
        valaki valakit valami valamit valahol senki semmi soha sehol mindenki mindent mindig kit
        mivel miért mikor hol hova hogyan milyen mennyi melyik amik akit ahol ahova amíg hiszen
        és viszont tehát így bár ebben abban erre arra ide oda ilyen akkor előtt alatt mellett
        között miatt nélkül helyett felé óta körül együtt se ne igen kicsit egészen túl egyre
        néha gyakran ritkán később holnap idén héten napja éve épp éppen persze talán biztosan
        valószínűleg tényleg igazán sajnos szintén újra ismét egyszer vagyok vagyunk lesznek
        lett lettek lenne legyen kell kellett kellene kéne lehet lehetne tud tudok tudnak tudott
        tudtam tudják tudja tudom tudjuk tudni akar akarok akart akarja akarják szeretne
        szeretnék szeretnénk fog fogok fognak fogja fogják csinál csinált tesz tegyünk tegyen
        tett tenni mond mondta mondták mondja mondják mondott lát látja látják láttam látta
        látták látni megy mennek ment mentek menni jön jött jönni segít segíteni segítsen
        segítség segítséget kér kérem kérjük emberek ellen akarjak amig azert csinal csinalt
        egyutt egeszen elott ezert fele fogjak hat heten iden igazan ismet jon jonni jott kene
        ker kerem kerjuk kesobb korul kozott lat latja latjak latni latta lattam lattak magat
        miert mondjak mondtak mar nala nalunk neha nelkul ritkan sajat segit segiteni segitsen
        segitseg segitseget szeretnek szeretnenk szinten talan tegyunk tehat tudjak teged
        tenyleg tobb tul tole utan valoszinuleg veluk en epp eppen es eve igy ota on ugy ujra o
        ok oket ot""",
}

STOP_WORDS: dict[str, frozenset[str]] = {
lang: frozenset(words.split()) for lang, words in _WORDS.items()
}
ALL_STOP_WORDS: frozenset[str] = frozenset().union(*STOP_WORDS.values())


def is_stop_word(word: str) -> bool:
    """True for a function word of any portal language (texts often mix languages)."""
    return word.replace("’", "'") in ALL_STOP_WORDS
