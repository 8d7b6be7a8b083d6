"""The nämndrapport's sections, apart from the builders so the command line starts quickly."""

# The report's sections in print order: id → heading.
AVSNITT: dict[str, str] = {
    "nyckeltal": "Nyckeltal",
    "nulagesanalys": "Nulägesanalys (utkast)",
    "personal": "Personal",
    "rorlighet": "Rörlighet och pension",
    "prognos": "Rekryteringsbehov",
    "sjukfranvaro": "Sjukfrånvaro",
    "heltid": "Heltid",
    "medarbetarenkat": "Medarbetarenkät",
    "incidenter": "Incidenter",
    "kompetensgap": "Kompetensgap",
    "jamstalldhet": "Jämställdhet",
    "aktiviteter": "Aktivitetsplan",
    "bilaga": "Bilaga: definitioner och röjandekontroll",
}
