"""Names of countries, which a question typed in lower case still means as names.

``text.truecase`` restores the capitals of names the passages spell; a country the
passages never mention ("what role is qatar playing?") is still a name, and a question
about it is about something the articles do not cover. General geography, nothing about
any one article.
"""

from __future__ import annotations

COUNTRIES = frozenset(
    """afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain
    bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria burkina
    burundi cambodia cameroon canada chad chile china colombia comoros congo croatia cuba cyprus czechia denmark
    djibouti dominica ecuador egypt eritrea estonia eswatini ethiopia fiji finland france gabon gambia georgia germany
    ghana greece grenada guatemala guinea guyana haiti honduras hungary iceland india indonesia iran iraq ireland
    israel italy jamaica japan jordan kazakhstan kenya kiribati kosovo kuwait kyrgyzstan laos latvia lebanon lesotho
    liberia libya liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania
    mauritius mexico micronesia moldova monaco mongolia montenegro morocco mozambique myanmar namibia nauru nepal
    netherlands nicaragua niger nigeria norway oman pakistan palau palestine panama paraguay peru philippines poland
    portugal qatar romania russia rwanda samoa senegal serbia seychelles singapore slovakia slovenia somalia spain
    sudan suriname sweden switzerland syria taiwan tajikistan tanzania thailand togo tonga tunisia turkey turkiye
    turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu venezuela vietnam yemen zambia zimbabwe""".split()
)
# Two-word names, each word capitalised: "saudi arabia" -> "Saudi Arabia".
COUNTRY_PAIRS = frozenset(
    """saudi_arabia united_states united_kingdom united_nations south_africa north_korea south_korea new_zealand
    sri_lanka costa_rica el_salvador sierra_leone east_timor ivory_coast west_bank gaza_strip""".split()
)
