"""The synthetic corpus's function words, frozen: the benchmark's texts must not change when
the app's stop-word lists do (ALERT's grew on 7 December 2026), or runs stop being comparable.
These are ALERT's lists as they were on 5 December 2026."""

FUNCTION_WORDS = {
    "en": """a about above after again against all also am an and any are as at be because been
        before being below between both but by can could did do does doing down during each few
        for from further had has have having he her here hers herself him himself his how i if
        in into is it its itself just me more most my myself no nor not now of off on once only
        or other our ours out over own same she should so some such than that the their theirs
        them then there these they this those through to too under until up very was we were
        what when where which while who whom why will with would you your yours yesterday today
        said says told also got get one two day week last someone something nobody found asked
        ask asks morning evening night""",
    "de": """aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei
        bin bis bist da damit dann das dass dein deine dem den der des dessen dich die dies diese
        diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines er es
        etwas euch euer für gegen gestern hat hatte hatten heute hier hin hinter ich ihm ihn ihnen
        ihr ihre im in ist ja jede jedem jeden jeder jetzt kann kein keine mein meine mich mir mit
        nach nicht nichts noch nun nur ob oder ohne sehr sein seine sich sie sind so soll sollte
        sondern über um und uns unser unter vom von vor war waren warum was weil weiter welche
        wenn wer werden wie wieder will wir wird wo wurde wurden zu zum zur zwischen gesagt""",
    "pl": """a aby ale bardzo bez bo był była było były być będzie ci co czy dla do dziś gdy gdzie
        go i ich ile im inne jak jako je jego jej jest jestem jeszcze jeśli już ja jednak ją każdy
        kiedy kto która które którzy który ku ma mają mam mi mnie mu my na nad nam nas nawet nic
        nie niego niej nim nich no o od oraz po pod przez przy się sobie są ta tak także tam te
        tego tej ten też to tu tylko tym u w we wczoraj wie więc wszystko z za ze że żeby dziś""",
    "ro": """a acea aceasta această aceea acei acel acest acesta aceste acestea acestei acestor ai
        al ale am apoi ar are as asta au avea azi ca care cand când ce cea cei cel cele cu cum
        da dacă dar de deci din după e ea ei el ele era este eu fi fie fost i ieri iar in în
        încă îi îl își la le lor lui m-am mai mult ne nici nu o pe pentru prin sa să se si și
        sunt tot toate toți un una unde unei unor unui voi vor despre foarte""",
    "hu": """a az azt aki akik amely amelyek ami amit amikor azonban be csak de egy egyik el ez ezt
        ezek fel hogy ha hanem hát is ki le meg mert mi mint mit már még mind most nagyon nem
        neki nincs ő ők olyan pedig sem szerint tegnap teljesen több úgy után vagy van vannak
        volt voltak voltam én te mi ti ők ma itt ott ezért azért egyes minden""",
}
