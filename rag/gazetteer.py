"""Names of countries, and their capitals, which a question typed in lower case still means as names.

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

# Capital -> country, for the countries above (from GeoNames' country table, CC BY 4.0): news
# names a government by its capital ("pressure from Washington"), and a reader may name the
# country of a city the article names ("which Egyptian city" for Cairo).
CAPITALS = {
    pair.split("=")[0].replace("_", " "): pair.split("=")[1].replace("_", " ")
    for pair in """
    abuja=nigeria accra=ghana addis_ababa=ethiopia algiers=algeria amman=jordan amsterdam=netherlands
    andorra_la_vella=andorra ankara=turkey antananarivo=madagascar apia=samoa ashgabat=turkmenistan asmara=eritrea
    asuncion=paraguay athens=greece baghdad=iraq baku=azerbaijan bamako=mali bandar_seri_begawan=brunei
    bangkok=thailand banjul=gambia beijing=china beirut=lebanon belgrade=serbia belmopan=belize berlin=germany
    bern=switzerland bishkek=kyrgyzstan bogota=colombia brasilia=brazil bratislava=slovakia brazzaville=congo
    bridgetown=barbados brussels=belgium bucharest=romania budapest=hungary buenos_aires=argentina cairo=egypt
    canberra=australia caracas=venezuela chisinau=moldova colombo=sri_lanka conakry=guinea copenhagen=denmark
    dakar=senegal damascus=syria dhaka=bangladesh djibouti=djibouti dodoma=tanzania doha=qatar dublin=ireland
    dushanbe=tajikistan freetown=sierra_leone funafuti=tuvalu gaborone=botswana georgetown=guyana gitega=burundi
    guatemala_city=guatemala hanoi=vietnam harare=zimbabwe havana=cuba helsinki=finland islamabad=pakistan
    jakarta=indonesia jerusalem=israel kabul=afghanistan kampala=uganda kathmandu=nepal khartoum=sudan kigali=rwanda
    kingston=jamaica kuala_lumpur=malaysia kuwait_city=kuwait kyiv=ukraine libreville=gabon lilongwe=malawi
    lima=peru lisbon=portugal ljubljana=slovenia lome=togo london=united_kingdom luanda=angola lusaka=zambia
    luxembourg=luxembourg madrid=spain male=maldives managua=nicaragua manama=bahrain manila=philippines
    maputo=mozambique maseru=lesotho mbabane=eswatini melekeok=palau mexico_city=mexico minsk=belarus
    mogadishu=somalia monaco=monaco monrovia=liberia montevideo=uruguay moroni=comoros moscow=russia muscat=oman
    n'djamena=chad nairobi=kenya nassau=bahamas nay_pyi_taw=myanmar new_delhi=india niamey=niger nicosia=cyprus
    nouakchott=mauritania nuku'alofa=tonga nur-sultan=kazakhstan oslo=norway ottawa=canada palikir=micronesia
    panama_city=panama paramaribo=suriname paris=france phnom_penh=cambodia podgorica=montenegro
    port_louis=mauritius port_vila=vanuatu port-au-prince=haiti porto-novo=benin prague=czechia
    pretoria=south_africa pristina=kosovo pyongyang=north_korea quito=ecuador rabat=morocco reykjavik=iceland
    riga=latvia riyadh=saudi_arabia rome=italy roseau=dominica san_jose=costa_rica san_salvador=el_salvador
    sanaa=yemen santiago=chile sarajevo=bosnia seoul=south_korea singapore=singapore sofia=bulgaria
    st._george's=grenada stockholm=sweden sucre=bolivia suva=fiji taipei=taiwan tallinn=estonia tarawa=kiribati
    tashkent=uzbekistan tbilisi=georgia tegucigalpa=honduras tehran=iran thimphu=bhutan tirana=albania tokyo=japan
    tripoli=libya tunis=tunisia ulaanbaatar=mongolia vaduz=liechtenstein valletta=malta victoria=seychelles
    vienna=austria vientiane=laos vilnius=lithuania warsaw=poland washington=united_states wellington=new_zealand
    windhoek=namibia yamoussoukro=ivory_coast yaounde=cameroon yaren=nauru yerevan=armenia zagreb=croatia""".split()
}


def capitals_of(name: str) -> tuple[str, ...]:
    """The capital of a country named by ``name`` or its demonym ("egyptian" -> "cairo")."""
    return tuple(city for city, country in CAPITALS.items() if name == country or _demonym(name, country))


def _demonym(name: str, country: str) -> bool:
    """Is ``name`` a word for the people of ``country``, by its stem: Egypt/Egyptian, Iran/Iranian?"""
    stem = country if len(country) <= 4 else country[:-1]
    return " " not in country and len(name) > len(country) and name.startswith(stem)
