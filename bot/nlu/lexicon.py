"""Word lists the rules engine leans on: names, company words, stages, slang."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of a word list."""
    return frozenset(text.split())


# Common given names across the regions our reps sell into. Used only to tell a
# lone name ("met with Sarah") from a company ("met with Oscorp").
FIRST_NAMES = words(
    """
    aaron abby abdul abhishek adam adaeze aditi aditya adrian ahmed aiden aisha akash alan
    alba alex alexa alexander alexandra alexis ali alice alicia alina alison amanda amara
    amber amelia amir amit amy ana ananya anders andre andrea andrew andy angela angelo anil
    anita anjali ann anna anne annie anthony anton antonio anu arjun arnav aryan ash ashley
    asha ava avery ayesha barbara beatriz becky bella ben benjamin bernard beth betty bianca
    bill billy blake bob bobby brad bradley brandon brenda brian brianna bruce bruno bryan
    caitlin caleb camila carl carla carlos carmen carol caroline carter casey catherine
    cathy cecilia chad charles charlie charlotte chen chiara chloe chris christian
    christina christine christopher claire clara claudia cody colin connor craig cristina
    dan dana daniel daniela danielle danny dario darren dave david dawn dean deborah deepak
    deepika denise dennis derek devin diana diane diego dimitri divya dominic donald donna
    doug dylan ed eddie edward elaine elena eli elijah elizabeth ella ellen elliot emily
    emma eric erica erik erin ethan eva evan fatima felix fernando fiona frank freya gabriel
    gabriela gareth gary gavin gemma george georgia gerald gina giovanni grace graham greg
    gregory gustavo hailey hana hannah harper harry harvey hassan heather helen henry hiro
    hiroshi holly hugo ian ibrahim igor imran ines irene isaac isabel isabella ivan jack
    jackie jacob jade jake james jamie jan jane janet jasmine jason javier jay jean jeff
    jeffrey jen jenna jennifer jenny jeremy jerry jess jessica jill jim jimmy jo joan joanna
    joe joel johan john johnny jon jonathan jordan jorge jose joseph josh joshua joy juan
    judy julia julian julie jun justin kai kamal karen karim karl kate katherine kathy katie
    kavya kay keith kelly ken kenji kenneth kevin khalid kim kiran kristen kumar kyle lakshmi
    lara laura lauren lee leila lena leo leon liam lily linda lisa liz logan lois lorenzo
    louis lucas lucia lucy luis luke lydia madison mai manish manoj marco marcus margaret
    maria marie marina mario mark martha martin mary mason mateo matt matthew maya megan mei
    melissa mia michael michelle miguel mike mila min mohammed mohamed monica morgan nadia
    nancy naomi natalie nate nathan neha neil nick nicole nikhil nina noah nora olga oliver
    olivia omar oscar owen pablo pam pamela paolo patricia patrick paul paula pedro peter
    phil philip pooja pradeep prakash pranav pratik preeti priya priyanka rachel rafael
    rahul raj rajesh ram ramesh raquel ravi ray raymond rebecca reza ricardo richard rick
    riley rita rob robert roberto robin rohan rohit ron ronald rosa rose ross ruby russell
    ruth ryan sachin sahil sai salma sam samantha samir samuel sana sandeep sandra sanjay
    sara sarah scott sean sebastian sergei sergio seth shanti sharon shawn sheila shreya
    shruti simon simone sneha sofia sophia sophie stacy stefan stella stephanie stephen
    steve steven sue sunil susan suresh sven tanya tara ted teresa terry thomas tim timothy
    tina toby todd tom tommy tony tracy travis tyler uma valentina vanessa varun vera vic
    victor victoria vijay vikram vince vincent vivek wei wendy will william xavier yan
    yasmin yuki yusuf zach zachary zara zoe
    """
)

# More given names, kept apart so the list above stays readable.
FIRST_NAMES = FIRST_NAMES | words(
    """
    ali aliyu amina andres arturo astrid bea bjorn brooke callum cam camille chidi chinedu
    cole dae daisuke dara dmitri duc eun farah femi gil greta hae haruto hyun ingrid ji jin
    jiwoon joao kaito kemi kofi kwame lars lina mads malik mateus mehmet meera minh mira
    nadia nils nkechi gloria marisol imani jada irene noor oksana olu paulo quinn rania
    rashid ren rui sakura sasha selin
    seo shin soo sung taro thanh tobias tunde ulrich wen xin yara yuna yuto zainab zeynep
    """
)

# Given names of many countries, accents as typed ("Étienne", "Álvaro", "Geneviève"):
# a full name that opens with one is a person wherever it stands.
FIRST_NAMES = FIRST_NAMES | words(
    """
    étienne geneviève álvaro andrés josé maría lucía sofía inés joão gonçalo thiago vinícius
    mónica nicolás iñaki begoña ximena renata gonzalo rodrigo paloma valeria mateo javier
    alejandro montserrat jordi núria pau oriol mercè carme àlex joan
    amélie baptiste chloé margaux théo juliette loïc gaëlle hélène benoît françois françoise
    jérôme sébastien frédéric cécile élise émile anaïs océane mathéo clément aurélien
    jürgen lena maximilian katrin lukas anke dieter sabine jens uwe frauke björn jörg günter
    daan sanne joost femke pieter marloes bram lieke ruud annelies
    łukasz agnieszka krzysztof małgorzata piotr zofia wojciech katarzyna paweł ewa marek
    tomasz magdalena jakub jiří tereza ondřej lucie tomáš kateřina radek zuzana
    dmitri anastasia yulia sergei kateryna bohdan olena mykola vasily svetlana natalia
    emre elif burak mert ayşe kerem oğuz gökhan çağla
    omar layla youssef fatima khalid noura hessa tariq samir huda faisal amal
    dariush shirin kaveh parisa arash niloufar babak
    aarav priyanka siddharth vikram deepa harpreet lakshmi kavitha rohan sunita venkat
    meenakshi gurpreet kwabena kwaku ama akosua yaw abena esi
    wei xiaoming jun mei-ling zhiwei hui qiang haruka kenta yuki takeshi aiko naoko hiroki
    ji-woo min-jun seo-yeon hyun-woo soo-ah jae-hyun eun-ji dong-hyun
    linh thao huong quang trang somchai nattaya kittisak budi siti agus dewi
    chinonso ngozi adebayo folake emeka chiamaka oluwaseun ifeoma babatunde amaka uchenna
    yetunde aminu hauwa chukwuemeka obinna nneka
    wanjiru otieno achieng kamau njeri mwangi akinyi tesfaye selam dawit meron abebe hiwot
    thandiwe sipho lindiwe themba nomvula lerato aroha tane wiremu anahera
    sigrid mikkel eero aino freja oskar sindre kaisa leif henrik lars-erik per-olof
    ragnhild solveig torbjørn håkon øystein åsa märta
    eleni nikos yannis dimitra kostas vasiliki giulia matteo chiara lorenzo federica
    alessandro francesca giuseppe giovanni noa yonatan tamar eitan shira
    """
)

# Given names of more places, typed with or without their accents (a lookup folds
# accents, so "Siobhán" and "Siobhan" are both found): Irish and Welsh, Nordic and
# Baltic, Balkan and Caucasus, Central Asian, West African, Pacific, South and East Asian.
FIRST_NAMES = FIRST_NAMES | words(
    """
    aoife niamh siobhán caoimhe orla saoirse eoin ciarán seán pádraig róisín dervla cormac
    rhys dafydd gethin angharad cerys bronwen
    søren sørina jørgen kirsten mette signe rasmus anders-emil guðrún sigurður þór ragnar
    katrín jóhanna birgit ingvild kjersti tuuli juha kaarina mikko ilkka jüri liis kadri
    aigerim nursultan dinara yerlan timur zarina bakhyt gulnara farrukh dilnoza
    nino giorgi tamuna levan aram anahit hayk lusine vardan
    ștefan ioana bogdan andreea mihai dragoș milica nikola jelena stefan dragana mladen
    ödön zsófia gábor eszter bence réka dorottya
    adébáyọ̀ olúwaṣeun ọlájídé ṣadé tèmítọ́pẹ́ àdìsá funmilayo kehinde taiwo bolaji
    nana kojo kofi adjoa efua aba ekow obiageli chukwudi ngozika
    leilani keanu kaimana makoa kalani noelani pualani sione mele losana tavita
    hye-jin ji-hoon seung-woo ye-jin hana yuna daiki sota riku mio akari
    anh duc huy khanh ngoc phuong tuan vy
    arnav ishaan kabir saanvi diya aditi ira tanvi riya harsh manpreet jaspreet navjot
    ayesha zainab hamid hamza bilal usman fahad saad sultan mariam maryam yasmin zahra
    reza mehdi shahram leyla darya
    dang-khoa tomasz ksenia anya zoë noémie maëlle anaïs joël raphaël
    mary-kate jean-luc jean-pierre marie-claire ana-maria hans-peter karl-heinz
    d'angelo deshawn jamal keisha latoya tremaine darnell
    """
)

# Common family names: "Jin Park" is a person even when the given name is unknown,
# while "Dunder Mifflin" (neither word known) reads as a company.
SURNAMES = words(
    """
    abbott adams ahmed ali allen alvarez anderson bailey baker banerjee becker bell bello
    bennett brooks brown bruno campbell carter castillo chan chang chatterjee chen cho choi
    chopra clark collins cook cooper costa cruz das davies davis diaz dubois edwards evans
    farouk fernandez fischer flores foster garcia gomez gonzalez gordon gray green gupta
    hall harris hernandez hill hoffmann hopper howe hughes hussain ito iyer jackson james
    jimenez johnson jones joshi kapoor kaur khan kim king klein kowalski kumar lam lee lewis
    li lin liu lopez martin martinez mehta mendez meyer miller mitchell moore morales morgan
    morris muller murphy murray nair nakamura nelson nguyen o'brien o'connor olsen park
    parker patel perez perry petrov petrova phillips price rao reddy reed reyes richardson
    rivera roberts robinson rodriguez rogers ross russell sanchez santos sato schmidt
    schneider scott scully shah sharma silva singh smith suzuki tanaka taylor thomas
    thompson torres tran turner walker wang ward watson weber weiss white williams wilson
    wong wood wright wu yamamoto yang young zhang zhao ruiz ramirez ortiz vargas romero
    herrera medina aguilar castro mendoza rojas guzman okafor mensah adeyemi obi nwosu
    novak horvat nowak jensen hansen larsen nielsen andersson lindqvist berg dahl ivanov
    kuznetsov popescu yilmaz demir kaya haddad karimi hosseini rahman islam chowdhury
    yılmaz öztürk çelik şahin holm kristiansen jørgensen sørensen nguyễn trần phạm
    o'neill o'sullivan o'malley o'reilly d'souza d'angelo d'amico mcallister macleod
    mckenzie kahale kealoha siddiqui qureshi ansari siddiqi kariuki otieno okonkwo eze
    adébáyọ̀ adebayo ogunleye olawale balogun mensah asante boateng owusu
    """
)

# Words that make a capitalized span a company rather than a person.
COMPANY_WORDS = words(
    """
    ag ai airlines analytics associates bank bio biotech brands capital cloud co company
    consulting corp corporation data digital dynamic dynamics energy enterprises financial
    foods gmbh global group health healthcare holdings hospital hotels inc incorporated
    industries insurance international labs llc llp logistics ltd media medical motors
    networks partners pharma plc retail robotics sa security services software solutions
    studio studios systems tech technologies telecom university ventures works
    logistique logistik logística transportes tecnologia tecnología industrie industria
    gruppe grupo groupe consultores asociados hermanos filhos söhne frères handel werke
    technik elektro oy ab as kk sarl sas spa srl bv nv kft sdn bhd pvt pty
    air airways rail express freight shipping marine mining steel textiles foods farms
    legal law lawyers advogados abogados avocats attorneys plumbing construction builders
    fisheries fiskeri timber semicon semiconductors hydro payments trading maskin bygg
    banco banca banque caja bodega bodegas hotel hoteles instituto sistemas servicios serviços
    soluciones soluções consultoria consultoría ingenieria ingeniería construcciones
    inmobiliaria comercial distribuidora seguros hijos industrias constructora inversiones
    alimentos farmacia laboratorios logistica logística bebidas minera energia energía holding
    architects college school clinic estate mexico méxico brasil brazil colombia peru perú
    argentina canada usa nigeria ghana
    japan
    brokers broker brokerage underwriters assurance mutual agency agencies estates strata
    produce farmacias cementos aceros materiales muebles wholesale wholesalers distributors
    distribution supplies
    université universität universidad universidade universiteit uniwersytet üniversitesi
    università universita institut hôpital krankenhaus klinikum clínica clinica
    kitchen kitchens pharmacy bakery garage diner diners dental dentistry deli cafe café bistro
    grill hardware florist florists salon lettings realty properties brewery cellars tavern
    pub inn nursery academy pediatrics orthodontics ortho opticians veterinary vets surgery
    clinics hospitals schools restaurant restaurants supermarket supermarkets
    market mart
    deutschland germany españa spain italia polska nederland sverige norge danmark suomi
    australia singapore malaysia indonesia philippines vietnam guatemala ecuador uruguay
    latam emea apac
    management mgmt mgt lets sons söner sønner cooperative coop co-op dairy dairies agro
    equipment machinery
    hôtel hotels auberge thermes château albergo ristorante trattoria osteria brasserie hostal
    pousada posada resort resorts lodge collegiate
    grues terrassements excavations toitures carrières échafaudages béton marbrerie chantiers
    entreprise entreprises société constructions bâtiment location
    cooperativa cooperativas agropecuária agropecuaria agroindustrial agrícola agricola fazenda
    fazendas estancia estância hacienda granja viña vinícola vinicola frigorífico frigorifico
    laticínios laticinios lácteos lacteos molinos sanatorio laboratorio laboratório semillas
    """
)

# Job-title words: a comma field holding one of these is the contact's title.
TITLE_WORDS = words(
    """
    ceo cfo cto coo cio ciso cmo cro cpo vp svp evp avp president director head manager
    lead chief founder cofounder co-founder owner partner engineer architect analyst
    officer buyer procurement admin administrator counsel consultant specialist
    coordinator executive principal chair chairman gm md svp avp evp vp bursar registrar
    dean headmaster headmistress headteacher rector provost superintendent
    diretor diretora director directora directeur directrice gerente jefe jefa comprador
    compradora responsable responsabile acheteur acheteuse einkäufer einkaufsleiter
    geschäftsführer leiter leiterin
    supervisor technician nurse pharmacist scientist researcher professor accountant
    controller treasurer estimator foreman planner agronomist advisor adviser
    gérant gérante inhaber inhaberin propietario propietaria dueño dueña
    dg pdg daf drh dsi président présidente presidente presidenta dono dona sócio sócia socio
    socia acheteur-cadre
    coordinador coordinadora coordenador coordenadora coordinateur coordinatrice coordinatore
    coordinatrice ingeniero ingeniera engenheiro engenheira ingénieur ingénieure ingegnere
    subgerente subgerenta subdirector subdirectora fd
    """
)

# Stage names and the phrases people use for them (matched on word boundaries).
STAGE_SYNONYMS: dict[str, str] = {
    "closed won": "won",
    "closed-won": "won",
    "won": "won",
    "closed lost": "lost",
    "is a loss": "lost",
    "is dead": "lost",
    "is a no-go": "lost",
    "is a no go": "lost",
    "closed-lost": "lost",
    "lost": "lost",
    "deal is dead": "lost",
    "deal's dead": "lost",
    "deal is off": "lost",
    "negotiation": "negotiation",
    "negotiations": "negotiation",
    "negotiating": "negotiation",
    "contracting": "negotiation",
    "legal review": "negotiation",
    "redlines": "negotiation",
    "proposal": "proposal",
    "sent the quote": "proposal",
    "sent a quote": "proposal",
    "sent the proposal": "proposal",
    "quote": "proposal",
    "quoting": "proposal",
    "pricing sent": "proposal",
    "demo": "demo",
    "demo stage": "demo",
    "evaluation": "demo",
    "trial": "demo",
    "poc": "demo",
    "qualified": "qualified",
    "qualification": "qualified",
    "qualif": "qualified",
    "discovery": "qualified",
    "sql": "qualified",
    "lead": "lead",
    "new lead": "lead",
    "prospect": "lead",
    "prospecting": "lead",
    "mql": "lead",
    # as reps abroad name the stages
    **dict.fromkeys(("propuesta", "proposta", "angebot", "offerta"), "proposal"),
    **dict.fromkeys(("negociación", "negociacion", "negociação", "negociacao", "verhandlung",
                     "trattativa"), "negotiation"),
    **dict.fromkeys(("ganado", "ganada", "ganho", "gewonnen", "vinto"), "won"),
    **dict.fromkeys(("perdido", "perdida", "verloren"), "lost"),
    **dict.fromkeys(("calificado", "qualificado", "qualifiziert"), "qualified"),
}
STAGES = ("lead", "qualified", "demo", "proposal", "negotiation", "won", "lost")

# Chat shorthand expanded before anything else (keys are lower-case whole words).
SLANG: dict[str, str] = {
    "qtr": "quarter",
    "this yr": "this year",
    "last yr": "last year",
    "next yr": "next year",
    "fcst": "forecast",
    "w/": "with",
    "w": "with",
    "w/o": "without",
    "wth": "with",
    "todays": "today's",
    "frm": "from",
    "thou": "thousand",
    "f/u": "follow up",
    "mv": "move",
    "a fortnight": "2 weeks",
    "fortnight": "2 weeks",
    "fu": "follow up",
    "fup": "follow up",
    "followup": "follow up",
    "follow-up": "follow up",
    "re:": "about",
    "mtg": "meeting",
    "mtng": "meeting",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmrow": "tomorrow",
    "tmw": "tomorrow",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "tomoz": "tomorrow",
    "tdy": "today",
    "yday": "yesterday",
    "yest": "yesterday",
    "pls": "please",
    "plz": "please",
    "vm": "voicemail",
    "lvm": "left voicemail",
    "taks": "tasks",
    "tasls": "tasks",
    "arvo": "afternoon",
    "mins": "minutes",
    "min": "minutes",
    "hrs": "hours",
    "hr": "hours",
    "wks": "weeks",
    "wk": "week",
    "mo": "month",
    "mos": "months",
    "opp": "deal",
    "opps": "deals",
    "oppty": "deal",
    "opportunity": "deal",
    "opportunities": "deals",
    "thx": "thanks",
    "ty": "thanks",
    "info": "info",
    "abt": "about",
    "bc": "because",
    "cuz": "because",
    "convo": "conversation",
    "eom": "end of month",
    "eoq": "end of quarter",
    "eoy": "end of year",
    "cob": "eod",
    "asap": "today",
    "half an hour": "30 minutes",
    "a half hour": "30 minutes",
    "half hour": "30 minutes",
    "an hour and a half": "90 minutes",
    "whats": "what's",
    "hows": "how's",
}

# Words worth correcting when mistyped (only lower-case tokens of 5+ letters are tried).
TYPO_TARGETS = tuple(sorted(words(
    """
    remind reminder remember meeting called emailed phoned summarize summarise summary
    timeline history tomorrow yesterday monday tuesday wednesday thursday friday saturday
    sunday january february august september october november december negotiation
    proposal qualified qualification discovery pipeline forecast weighted average overdue
    contact contacts complete completed voicemail quarter digest weekly schedule minutes
    morning afternoon evening create opportunity follow breakfast update
    """
)))
# Real words one typo away from a target; never "correct" these.
NOT_TYPOS = words(
    """
    fellow hollow rewind remand recall caller callers calmed culled phones contract
    contracts compete crate melting mourning sundae sundry
    """
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Words of a rep's own language in an English note, as the CRM's words ("Reunión ayer con
# Salmones Austral", "Telko mit Anna-Lena", "neuer Kontakt: ..."): only those that cannot
# be an English word or a name here.
# What reps of Spain, Latin America, Portugal, Brazil, Italy, France, Germany and the
# Gulf write in their own words inside an English message: the sales words only (how
# they call, meet, remind, open and move deals, and their dates), never the little words
# that are also pieces of names ("de", "da", "di").
_MONTH_WORDS = {
    "january": ("enero", "janeiro", "gennaio", "janvier", "januar"),
    "february": ("febrero", "fevereiro", "febbraio", "février", "fevrier", "februar"),
    "march": ("marzo", "março", "mars", "märz"),  # not "Marco", a name
    "april": ("abril", "aprile", "avril"),
    "may": ("mayo", "maio", "maggio", "mai"),
    "june": ("junio", "junho", "giugno", "juin", "juni"),
    "july": ("julio", "julho", "luglio", "juillet", "juli"),
    "august": ("agosto", "août", "aout"),
    "september": ("septiembre", "setiembre", "setembro", "settembre", "septembre"),
    "october": ("octubre", "outubro", "ottobre", "octobre", "oktober"),
    "november": ("noviembre", "novembro", "novembre"),
    "december": ("diciembre", "dezembro", "dicembre", "décembre", "decembre", "dezember"),
}
# A contact's title said with its article in French, Spanish or Portuguese
_TITLES_SAID = {
    **dict.fromkeys(("le pdg", "la pdg"), "the CEO"),
    **dict.fromkeys(("le dg", "la dg", "le directeur général", "la directrice générale",
                     "el director general", "la directora general"), "the GM"),
    **dict.fromkeys(("le directeur", "la directrice", "el director", "la directora",
                     "o diretor", "a diretora"), "the director"),
    **dict.fromkeys(("le directeur des achats", "la directrice des achats",
                     "el director de compras", "la directora de compras", "el gerente de compras",
                     "la gerente de compras", "el jefe de compras", "la jefa de compras",
                     "o diretor de compras", "a diretora de compras", "o gerente de compras",
                     "a gerente de compras"), "the purchasing director"),
    **dict.fromkeys(("le gérant", "la gérante", "el gerente", "la gerente", "o gerente",
                     "a gerente"), "the manager"),
    **dict.fromkeys(("le président", "la présidente", "el presidente", "la presidenta",
                     "o presidente", "a presidente"), "the president"),
    **dict.fromkeys(("el dueño", "la dueña", "o dono", "a dona"), "the owner"),
}
_GLOSS: dict[str, str] = {
    # (alone, not the months that are names too: Mayo Clinic, Julio, Abril, Mai, Mars)
    **{said: month for month, saids in _MONTH_WORDS.items() for said in saids
       if said not in ("mayo", "mai", "julio", "abril", "mars")},
    **{f"{lead} {said}": f"{into}{month}" for month, saids in _MONTH_WORDS.items()
       for said in saids for lead, into in (("de", ""), ("en", "in "), ("em", "in "),
                                            ("di", ""), ("a", "in "))},
    # "fim de abril", "a fines de marzo", "fine aprile", "fin mai", "Ende März"
    **{f"{end} {said}": f"end of {month}" for month, saids in _MONTH_WORDS.items()
       for said in saids for end in ("fin de", "fim de", "finales de", "a fines de",
                                      "fines de", "fine", "fin", "ende")},
    **dict.fromkeys(("llamé", "llame a", "llamamos a", "liguei pro", "liguei pra", "liguei para",
                     "liguei", "ho chiamato", "j'ai appelé", "appelé", "angerufen",
                     "telefoniert mit", "telefonei para", "telefoneei"), "called"),
    **dict.fromkeys(("hablé con", "hable con", "hablamos con", "falamos com", "ho parlato con",
                     "parlato con", "j'ai parlé avec", "parlé avec", "gesprochen mit"),
                    "spoke with"),
    **dict.fromkeys(("le mandé un email", "le mandé un correo", "le envié un correo",
                     "le envié un email", "les mandé un email", "les mandé un correo",
                     "lhe mandei um email", "lhe enviei um email", "gli ho mandato una mail",
                     "je lui ai envoyé un mail"), "emailed them"),
    **dict.fromkeys(("mandé un email", "mandé un correo", "envié un correo", "envié un email",
                     "mandei um email", "mandei um e-mail", "enviei um email",
                     "enviei um e-mail", "ho mandato una mail", "ho inviato una mail",
                     "ho inviato un'email", "j'ai envoyé un mail", "j'ai envoyé un email",
                     "envoyé un mail", "email enviado ao", "email enviado para",
                     "e-mail enviado ao", "correo enviado a", "mail envoyé à"), "emailed"),
    **dict.fromkeys(("enviei", "mandei", "ho inviato", "ho mandato", "j'ai envoyé", "geschickt"),
                    "sent"),
    **dict.fromkeys(("correo", "courriel"), "email"),
    **dict.fromkeys(("réunion", "rdv", "reuniao"), "meeting"),
    **dict.fromkeys(("visité", "visitei", "ho visitato", "j'ai visité", "besucht"), "visited"),
    **dict.fromkeys(("almuerzo", "almoço", "almoco", "pranzo", "déjeuner", "dejeuner",
                     "mittagessen"), "lunch"),
    **dict.fromkeys(("kaffee", "cafezinho", "cafecito"), "coffee"),
    **dict.fromkeys(("email von", "e-mail von", "mail von", "correo de", "email de",
                     "e-mail de", "mail de", "e-mail da", "email da"), "email from"),
    **dict.fromkeys(("deal nou", "nowy deal", "yeni deal", "yeni fırsat", "neue opportunity",
                     "neue chance"), "new deal"),
    **dict.fromkeys(("cria deal", "crie um deal", "crea deal", "abrir deal", "abre un deal",
                     "abrir un deal", "apri un deal", "ouvre un deal"), "create a deal"),
    **dict.fromkeys(("j'ai rencontré", "rencontré", "ho incontrato", "incontrato", "me reuni con",
                     "me reuni com", "getroffen"), "met"),
    **dict.fromkeys(("rencontre avec", "rendez-vous avec"), "meeting with"),
    **dict.fromkeys(("visite",), "visit"),
    **dict.fromkeys(("chez",), "at"),
    **dict.fromkeys(("avec",), "with"),
    **dict.fromkeys(("pour le", "pour la", "pour les"), "for the"),
    **dict.fromkeys(("pour",), "for"),
    **dict.fromkeys(("à",), "to"),  # (its clock, "à 15h", is read first: see text.py)
    **dict.fromkeys(("le deal", "el deal", "o deal", "il deal", "der deal", "la oportunidad",
                     "l'opportunité", "la trattativa"), "the deal"),
    **dict.fromkeys(("ce matin", "esta mañana", "hoje de manhã", "hoje cedo", "stamattina",
                     "heute morgen", "heute früh"), "this morning"),
    **dict.fromkeys(("cet après-midi", "esta tarde", "hoje à tarde", "oggi pomeriggio",
                     "heute nachmittag", "hoy a la tarde", "hoy de tarde", "hoje de tarde"),
                    "this afternoon"),
    **dict.fromkeys(("en la tarde", "por la tarde", "à tarde", "no período da tarde",
                     "a la tarde", "de tarde",
                     "nel pomeriggio", "l'après-midi", "am nachmittag"), "in the afternoon"),
    **dict.fromkeys(("en la mañana", "por la mañana", "de manhã", "pela manhã", "a la mañana",
                     "le matin", "am vormittag"), "in the morning"),
    **dict.fromkeys(("a primera hora", "à première heure", "logo cedo", "come prima cosa"),
                    "first thing"),
    **dict.fromkeys(("la otra semana",), "next week"),
    **dict.fromkeys(("ce trimestre", "este trimestre", "questo trimestre", "dieses quartal",
                     "diesem quartal"), "this quarter"),
    **dict.fromkeys(("le trimestre prochain", "próximo trimestre", "nächstes quartal"),
                    "next quarter"),
    **dict.fromkeys(("mes tâches", "mis tareas", "minhas tarefas", "le mie attività",
                     "meine aufgaben"), "my tasks"),
    **dict.fromkeys(("mein pipeline",), "my pipeline"),
    **dict.fromkeys(("mes deals", "mes opportunités", "mis oportunidades",
                     "minhas oportunidades", "le mie opportunità"), "my deals"),
    **dict.fromkeys(("quel est", "quelle est", "cuál es", "cual es", "qual é", "qual e",
                     "qual è", "was ist"), "what is"),
    **dict.fromkeys(("pour aujourd'hui", "para hoy", "para hoje", "per oggi", "für heute"),
                    "for today"),
    **dict.fromkeys(("résumé du compte", "resumen de la cuenta", "resumo da conta",
                     "riepilogo di", "riepilogo del cliente"), "summary of"),
    **dict.fromkeys(("agendar", "programar", "planifier", "fissare"), "schedule"),
    **dict.fromkeys(("hacerle seguimiento", "hacer seguimiento a", "dar seguimiento a",
                     "fazer o follow-up"), "follow up with"),
    **dict.fromkeys(("cotizar",), "quote"),
    **dict.fromkeys(("inshallah", "inchallah", "insha'allah", "mashallah"), "hopefully"),
    **dict.fromkeys(("yalla",), "ok"),
    **dict.fromkeys(("toplantı", "toplanti", "görüşme", "gorusme"), "meeting"),
    **dict.fromkeys(("videollamada", "videochamada", "videochiamata", "visio",
                     "visioconférence"), "video call"),
    **dict.fromkeys(("me lembra de", "me lembra", "me lembre", "lembra-me", "recordame de",
                     "recuérdame de", "ricordami di", "rappelle-moi de", "rappelez-moi de",
                     "rappelez-moi", "erinner mich"), "remind me"),
    **dict.fromkeys(("erinnerung",), "reminder"),
    **dict.fromkeys(("relance", "nachfassen", "dar seguimiento",
                     "hacer seguimiento", "fazer follow-up", "fazer follow up"), "follow up"),
    **dict.fromkeys(("volver a llamar", "retornar a ligação", "retornar", "richiamare",
                     "rappeler", "zurückrufen", "ligar de volta"), "call back"),
    **dict.fromkeys(("riprovare", "réessayer", "intentar de nuevo", "tentar de novo"),
                    "try again"),
    **dict.fromkeys(("crear tarea", "crea una tarea", "criar tarefa", "cria uma tarefa",
                     "créer une tâche", "crée une tâche", "crea un'attività",
                     "aufgabe erstellen", "crear una tarea"), "create a task"),
    **dict.fromkeys(("tarea", "tarefa", "tâche", "aufgabe"), "task"),
    **dict.fromkeys(("nuova opportunità", "nuevo deal", "novo deal", "nouveau deal", "neuer deal",
                     "deal nuevo", "deal novo", "nuova trattativa"), "new deal"),
    **dict.fromkeys(("crear oportunidad", "crear una oportunidad", "creale una oportunidad",
                     "crea una oportunidad", "criar oportunidade", "cria uma oportunidade",
                     "cria um deal", "criar deal", "criar um deal", "crear deal",
                     "crea un deal", "créer un deal", "crée un deal",
                     "crea un'opportunità", "crea opportunità", "créer une opportunité"),
                    "create a deal"),
    **dict.fromkeys(("oportunidad", "oportunidade", "opportunità", "opportunité"),
                    "opportunity"),
    **dict.fromkeys(("trattativa",), "deal"),
    **dict.fromkeys(("jeden", "jede", "cada", "todos los", "todas las", "todas as", "todos os",
                     "ogni", "chaque", "tous les"), "every"),
    **dict.fromkeys(("posten", "postear", "publicar", "pubblicare", "pubblica",
                     "publica"), "post"),
    **dict.fromkeys(("trattative", "oportunidades", "opportunités"), "deals"),
    **dict.fromkeys(("ganado", "ganada", "ganados", "ganadas", "ganhamos", "ganho", "ganhos",
                     "vinto", "vinta", "vinti", "gagné", "gagnés", "gagnée", "gagnées", "gagne",
                     "gewonnen"), "won"),
    **dict.fromkeys(("appeler", "appelle", "llamar a", "llamar", "ligar para", "ligar pro",
                     "ligar", "chiamare", "anrufen"), "call"),
    **dict.fromkeys(("envoyer", "enviar", "mandar", "inviare", "schicken", "senden"), "send"),
    **dict.fromkeys(("proposition",), "proposal"),
    **dict.fromkeys(("da semana", "de la semana", "de la semaine", "della settimana",
                     "der woche"), "for this week"),
    **dict.fromkeys(("le mie trattative", "i miei deal"), "my deals"),
    **dict.fromkeys(("promedio", "moyenne", "durchschnitt", "durchschnittliche"),
                    "average"),  # (not "media", "média": companies' names)
    **dict.fromkeys(("tamaño de deal", "tamaño del deal", "tamanho do deal",
                     "taille des deals", "taille moyenne des deals"), "deal size"),
    **dict.fromkeys(("este año", "este ano", "quest'anno", "cette année", "dieses jahr"),
                    "this year"),
    **dict.fromkeys(("reabrir", "reabre", "rouvrir", "rouvre", "riaprire", "riapri",
                     "wieder öffnen"), "reopen"),
    **dict.fromkeys(("quita", "quitar", "elimina", "eliminar", "borra", "borrar", "remova",
                     "remover", "supprime", "supprimer", "rimuovi", "cancella", "entferne",
                     "lösche"), "remove"),
    **dict.fromkeys(("perdido", "perdida", "perdidos", "perdemos", "perso", "persi", "perdu",
                     "perdus", "verloren"), "lost"),
    **dict.fromkeys(("perdemos a", "perdimos a", "perdemos o", "perdemos la", "perdimos la",
                     "abbiamo perso", "on a perdu", "nous avons perdu"), "we lost"),
    **dict.fromkeys(("marcalo", "márcalo", "marcala", "márcala", "marca como",
                     "marcar como", "marque como", "segna come", "marque comme"), "mark it"),
    **dict.fromkeys(("fecha de cierre", "data de fechamento", "data di chiusura",
                     "date de clôture", "cierre previsto", "fechamento previsto",
                     "chiusura prevista", "clôture prévue", "cierre", "fechamento",
                     "chiusura", "clôture", "cloture"), "close"),
    **dict.fromkeys(("etapa", "estágio", "estagio", "étape", "fase", "fase de", "etapa de",
                     "en etapa", "na fase", "en fase", "in fase"), "stage"),
    **dict.fromkeys(("importe", "importo", "montant", "betrag"), "amount"),
    **dict.fromkeys(("valor novo", "nuevo valor", "novo valor", "nuovo importo",
                     "nouveau montant", "nuevo importe"), "new amount"),
    **dict.fromkeys(("pasa a", "passa para", "passa a", "passe en", "passe à", "pasó a",
                     "passou para"), "moves to"),
    **dict.fromkeys(("pasar a", "mover a", "mover para", "sposta a", "sposta in",
                     "passer en"), "move to"),
    **dict.fromkeys(("actualiza el deal", "atualiza o deal", "atualizar o deal",
                     "aggiorna il deal", "mets à jour le deal", "actualizar el deal"),
                    "update the deal"),
    **dict.fromkeys(("propuesta", "proposta"), "proposal"),
    **dict.fromkeys(("negociación", "negociacion", "negociação", "negociacao",
                     "negoziazione", "négociation", "verhandlung"), "negotiation"),
    **dict.fromkeys(("calificado", "cualificado", "qualificado", "qualificato", "qualifié",
                     "calificación", "calificacion", "cualificación", "qualificação",
                     "qualificacao", "qualificazione"), "qualified"),
    **dict.fromkeys(("agregar contacto", "agrega contacto", "agregá contacto",
                     "adiciona contato", "adicionar contato", "adiciona o contato",
                     "aggiungi contatto", "ajoute contact", "ajoute le contact",
                     "ajouter contact", "criar contato", "crear contacto", "crea contacto",
                     "kontakt anlegen"), "add contact"),
    **dict.fromkeys(("agregala como contacto", "agrégala como contacto",
                     "adiciona ela como contato"), "add her as a contact"),
    **dict.fromkeys(("agregalo como contacto", "agrégalo como contacto",
                     "adiciona ele como contato"), "add him as a contact"),
    **dict.fromkeys(("questo mese", "ce mois-ci", "ce mois", "diesen monat"), "this month"),
    **dict.fromkeys(("el mes que viene", "mês que vem", "el próximo mes", "próximo mês",
                     "il mese prossimo", "mese prossimo", "le mois prochain",
                     "nächsten monat"), "next month"),
    **dict.fromkeys(("questa settimana", "cette semaine", "nesta semana"), "this week"),
    **dict.fromkeys(("mañana por la mañana", "amanhã de manhã", "domani mattina",
                     "demain matin", "morgen früh"), "tomorrow morning"),
    **dict.fromkeys(("hier",), "yesterday"),
    **dict.fromkeys(("avant-hier", "anteontem", "anteayer", "antier", "l'altro ieri",
                     "vorgestern"), "the day before yesterday"),
    **dict.fromkeys(("morgen", "bukra", "bokra"), "tomorrow"),
    **dict.fromkeys(("guten morgen", "goedemorgen", "goede morgen"), "good morning"),
    **dict.fromkeys(("lunes", "segunda-feira", "na segunda"), "monday"),
    **dict.fromkeys(("martes", "terça-feira", "terca-feira", "na terça"), "tuesday"),
    **dict.fromkeys(("miércoles", "miercoles", "quarta-feira", "na quarta"), "wednesday"),
    **dict.fromkeys(("jueves", "quinta-feira", "na quinta"), "thursday"),
    **dict.fromkeys(("viernes", "sexta-feira", "na sexta"), "friday"),
    **dict.fromkeys(("sábado", "sabado"), "saturday"),
    **dict.fromkeys(("domingo",), "sunday"),
    **dict.fromkeys(("muéstrame", "muestrame", "muestra", "mostra", "mostrami",
                     "montre-moi", "zeig mir", "mostrar"), "show"),
    **dict.fromkeys(("cuántos", "cuantos", "cuántas", "cuantas", "quantos", "quantas",
                     "quanti", "quante", "combien de", "wie viele"), "how many"),
    **dict.fromkeys(("cuánto", "cuanto", "quanto", "combien", "wie viel"), "how much"),
    **dict.fromkeys(("qué tengo pendiente", "que tengo pendiente", "o que tenho pendente",
                     "cosa ho da fare", "qu'est-ce que j'ai à faire"), "what tasks do i have"),
    **dict.fromkeys(("me dá um resumo da", "me dá um resumo de", "me da un resumen de",
                     "dame un resumen de", "fammi un riassunto di", "résumé de",
                     "resumen de", "resumo da", "resumo de", "riassunto di"), "summary of"),
    **dict.fromkeys(("escreve um email pra", "escreve um email para", "escribe un correo a",
                     "escribe un email a", "redacta un correo a", "scrivi una mail a"),
                    "draft an email to"),
    **dict.fromkeys(("cotización", "cotizacion", "cotação", "cotacao", "orçamento",
                     "orcamento", "preventivo", "devis", "angebot"), "quote"),
    **dict.fromkeys(("no contesta", "no contestó", "não atendeu", "nao atendeu",
                     "nessuna risposta", "pas de réponse", "keine antwort"), "no answer"),
    **dict.fromkeys(("dejé un mensaje", "deixei recado", "lasciato messaggio",
                     "laissé un message", "buzón de voz", "caixa postal", "segreteria",
                     "messagerie"), "left a voicemail"),
    **dict.fromkeys(("presupuesto",), "budget"),
    **dict.fromkeys(("también", "também", "anche", "aussi"), "also"),
    **dict.fromkeys(("por favor", "per favore", "s'il te plaît", "svp", "stp", "bitte"),
                    "please"),
    **dict.fromkeys(("gracias", "obrigado", "obrigada", "grazie", "merci", "danke",
                     "shukran"), "thanks"),
    **dict.fromkeys(("hola", "olá", "ciao", "bonjour", "salut", "buenos días",
                     "buenos dias", "bom dia", "buongiorno"), "hi"),  # (Ola, Salam: names)
    # What a rep must do next, said in French, Spanish, Portuguese or Italian
    **dict.fromkeys(("il faut que je", "faut que je", "il faut que j'", "faut que j'",
                     "je dois", "tengo que", "tenemos que", "hay que", "debo", "necesito",
                     "tenho que", "temos que", "preciso", "devo", "devo ancora", "bisogna",
                     "ich muss"), "I need to"),
    **dict.fromkeys(("je vais", "voy a", "vou", "vamos a"), "I'll"),
    **dict.fromkeys(("lui envoyer", "lui envoie", "lui envoyé", "mandarle", "enviarle",
                     "mandarlo", "mandarla", "enviarlo", "enviarla", "mandársela",
                     "mandárselo", "enviársela", "enviárselo", "mandar pra ele",
                     "mandar pra ela", "mandar para ele", "mandar para ela"), "send them"),
    **dict.fromkeys(("leur envoyer", "leur envoie", "mandarles", "enviarles"), "send them"),
    # an order with its pronouns on the verb: "mándasela el viernes", "envíale la propuesta"
    **dict.fromkeys(("mándasela", "mándaselas", "mándaselo", "mándaselos", "mandasela",
                     "mandaselas", "mandaselo", "mandaselos", "mándalo", "mándala",
                     "envíasela", "envíaselo", "envíaselas", "envíaselos", "reenvíasela",
                     "reenvíaselo"), "send it"),
    **dict.fromkeys(("mándale", "mándales", "mandale", "mandales", "envíale", "envíales",
                     "enviale", "enviales", "reenvíale"), "send them"),
    **dict.fromkeys(("llámale", "llámalo", "llámala", "llamale", "llámales", "márcale",
                     "marcale", "márcales"), "call them"),
    **dict.fromkeys(("je réessaie", "je rappelle", "je le rappelle", "je la rappelle",
                     "je les rappelle", "tento de novo", "tenta de novo", "tento novamente",
                     "ligo de novo", "vuelvo a llamar", "le vuelvo a llamar", "lo vuelvo a llamar",
                     "la vuelvo a llamar", "riprovo", "richiamo"), "call them again"),
    **dict.fromkeys(("pour lui envoyer", "pour leur envoyer", "de lui envoyer",
                     "de leur envoyer", "para mandarle", "para enviarle", "para mandarles",
                     "para enviarles"), "to send them"),
    **dict.fromkeys(("l'appeler", "le rappeler", "la rappeler", "les rappeler", "llamarle",
                     "llamarlo", "llamarla", "llamarles", "ligar pra ele", "ligar pra ela",
                     "ligar para ele", "ligar para ela"), "call them"),
    **dict.fromkeys(("d'appeler", "de l'appeler", "de rappeler", "para llamar a",
                     "para llamar", "pra ligar pro", "pra ligar pra", "pra ligar para",
                     "para ligar para", "para ligar"), "to call"),
    **dict.fromkeys(("relance-le", "relance-la", "relance-les", "relancer"), "follow up with"),
    **dict.fromkeys(("rappelle moi", "rappelle-moi d'", "rappelle moi de", "rappelle moi d'",
                     "fais-moi penser à", "fais-moi penser de", "fais moi penser",
                     "avísame", "avisame", "acuérdame", "acuerdame"),
                    "remind me"),
    # Calls, meetings and e-mails told in those languages (what "called", "met" and
    # "emailed" above do not say)
    **dict.fromkeys(("me marcó", "me marco", "m'a appelé", "m'a appelée", "m'a téléphoné",
                     "mi ha chiamato"), "called me"),
    **dict.fromkeys(("le marque a", "le hablé a", "j'ai téléphoné à", "téléphoné à",
                     "j'ai appelé à", "passé un coup de fil à", "donné un coup de fil à"),
                    "called"),
    **dict.fromkeys(("hablé por teléfono con", "hable por telefono con", "falei por telefone com",
                     "coup de fil à", "appel avec", "llamada con", "ligação com", "ligacao com",
                     "chamada com"), "call with"),
    **dict.fromkeys(("llamada de", "appel de", "ligação de", "ligacao de", "chamada de"),
                    "call from"),
    **dict.fromkeys(("j'ai parlé à", "parlé à", "platiqué con", "platique con", "jasé avec",
                     "conversé con", "conversei com", "conversamos con",
                     "conversamos com"), "spoke with"),
    **dict.fromkeys(("comida con", "almuerzo con", "almocei com", "almoço com", "almoco com",
                     "déjeuner avec", "dejeuner avec", "dîné avec", "pranzo con"),
                    "lunch with"),
    **dict.fromkeys(("cena con", "jantar com", "jantei com", "dîner avec", "diner avec",
                     "souper avec", "cena da"), "dinner with"),
    **dict.fromkeys(("desayuno con", "desayuné con", "café da manhã com", "petit-déjeuner avec",
                     "petit déj avec"), "breakfast with"),
    **dict.fromkeys(("café con", "cafe con", "café com", "cafe com", "café avec", "cafe avec",
                     "caffè con"), "coffee with"),
    **dict.fromkeys(("junta con", "reunión con", "reunion con", "reunião com", "reuniao com",
                     "réunion avec", "riunione con", "rendez-vous à", "rdv avec", "rdv à",
                     "rdv chez"), "meeting with"),
    **dict.fromkeys(("courriel envoyé à", "envoyé un courriel à", "j'ai envoyé un courriel à",
                     "j'ai écrit à", "écrit à", "le escribí a", "les escribí a", "escribí a",
                     "correo a", "mandé correo a", "escrevi para", "escrevi pro",
                     "escrevi pra"), "emailed"),
    # Their days and times ("ce soir", "a las 3 de la tarde", "fin de mes")
    **dict.fromkeys(("ce soir", "esta noche", "hoje à noite", "hoje a noite", "stasera",
                     "heute abend"), "tonight"),
    **dict.fromkeys(("hier soir", "anoche", "ontem à noite", "ontem a noite", "ieri sera",
                     "gestern abend"), "last night"),
    **dict.fromkeys(("cet aprem", "cet aprèm", "cet apres-midi",
                     "hoy en la tarde", "hoy por la tarde"), "this afternoon"),
    **dict.fromkeys(("après-demain", "apres-demain", "depois de amanhã", "depois de amanha",
                     "dopodomani"), "the day after tomorrow"),
    **dict.fromkeys(("mañana temprano", "manana temprano", "amanhã cedo", "amanha cedo",
                     "demain à la première heure", "demain première heure"),
                    "tomorrow morning"),
    **dict.fromkeys(("la semaine dernière", "la semaine derniere", "semaine dernière",
                     "la semana pasada", "semana pasada", "la semana anterior",
                     "semana passada", "na semana passada", "la settimana scorsa",
                     "settimana scorsa", "letzte woche"), "last week"),
    **dict.fromkeys(("le mois dernier", "mois dernier", "el mes pasado", "mes pasado",
                     "mês passado", "mes passado", "no mês passado", "il mese scorso",
                     "mese scorso", "letzten monat"), "last month"),
    **dict.fromkeys(("l'an dernier", "l'année dernière", "l'annee derniere",
                     "el año pasado", "año pasado", "ano passado", "no ano passado",
                     "l'anno scorso", "letztes jahr"), "last year"),
    **dict.fromkeys(("trimestre passado", "il trimestre scorso"), "last quarter"),
    **dict.fromkeys(("fin de mes", "fin del mes", "a fin de mes", "fin du mois",
                     "à la fin du mois", "fin de mois", "fim do mês", "fim do mes",
                     "fim de mês", "fine mese", "ende des monats"), "end of the month"),
    **dict.fromkeys(("fin de la semaine", "fin de semana", "fim da semana",
                     "fine settimana"), "end of the week"),
    **dict.fromkeys(("d'ici", "hasta el", "entro"), "by"),
    **dict.fromkeys(("al mediodía", "al mediodia", "a mediodía", "ao meio-dia", "ao meio dia",
                     "a mezzogiorno"), "at noon"),
    **dict.fromkeys(("midi", "mediodía", "meio-dia", "mezzogiorno"), "noon"),
    **dict.fromkeys(("à la première heure", "a la premiere heure", "en première heure"),
                    "first thing"),
    **dict.fromkeys(("de la tarde", "de la noche", "da tarde", "da noite", "de l'après-midi",
                     "de l'apres-midi", "du soir", "di sera", "del pomeriggio"), "pm"),
    **dict.fromkeys(("de la mañana", "de la manana", "da manhã", "da manha", "du matin",
                     "di mattina", "del mattino"), "am"),
    **dict.fromkeys(("en fin de journée", "en fin de journee", "fin de journée",
                     "al final del día", "al final del dia", "no fim do dia"), "end of day"),
    **dict.fromkeys(("vers", "alrededor de las", "a eso de las", "por volta das",
                     "verso le"), "around"),
    # "le PDG de Lassonde", "el gerente de compras de FEMSA", "a diretora da Natura"
    **{f"{title} {of}": f"{english} of" for title, english in _TITLES_SAID.items()
       for of in ("de", "da", "do", "del", "chez")},
    **dict.fromkeys(("o contrato", "el contrato", "le contrat", "il contratto"),
                    "the contract"),
    **dict.fromkeys(("a proposta", "la propuesta", "la proposition", "la proposta"),
                    "the proposal"),
    **dict.fromkeys(("la cotización", "la cotizacion", "a cotação", "a cotacao", "o orçamento",
                     "o orcamento", "le devis", "la soumission", "il preventivo"), "the quote"),
    **dict.fromkeys(("soumission",), "quote"),
    **dict.fromkeys(("la liste de prix", "la lista de precios", "a tabela de preços",
                     "a tabela de precos", "il listino"), "the price list"),
    **dict.fromkeys(("négo", "négociations", "negociaciones", "negociações"), "negotiation"),
    **dict.fromkeys(("démo", "démonstration", "demostración", "demonstração"), "demo"),
    **dict.fromkeys(("calificada", "cualificada", "qualificada", "qualifiée", "qualificata"),
                    "qualified"),
    **dict.fromkeys(("perdidas",), "lost"),
    **dict.fromkeys(("on a gagné", "nous avons gagné", "abbiamo vinto"), "we won"),
    # A voice note taking back what it said, in its own language ("a las diez, no, a las
    # once", "210 mil, não, 240 mil", "38 000, non, 36 000", "no, mejor el lunes")
    **dict.fromkeys(("non", "não", "nao"), "no"),
    **dict.fromkeys(("no, perdón", "no perdón", "no, perdon", "não, desculpa", "non, pardon",
                     "no, scusa", "perdón", "perdon", "desculpa", "pardon", "scusa"),
                    "no sorry"),
    **dict.fromkeys(("mejor", "melhor", "plutôt", "plutot", "meglio"), "make it"),
    **dict.fromkeys(("cioè", "cioe", "anzi", "o sea", "digo", "quer dizer", "je veux dire",
                     "enfin"), "I mean"),
    # Its managers' questions
    **dict.fromkeys(("ganó", "gano", "ganaron", "ganamos", "ganhou", "ganharam", "a gagné",
                     "ont gagné", "ha vinto", "hanno vinto"), "won"),
    **dict.fromkeys(("firmado", "firmada", "firmaron", "assinado", "assinou", "assinaram",
                     "signé", "signée", "firmato"), "signed"),
    **dict.fromkeys(("on a signé", "nous avons signé", "firmamos", "assinamos",
                     "abbiamo firmato"), "we signed"),
    **dict.fromkeys(("cria uma task", "crie uma task", "crea una task", "crée une task",
                     "crea un task", "cria uma tarefa para"), "create a task"),
    **dict.fromkeys(("pra eu", "para eu", "para que yo", "pour que je"), "to"),
    **dict.fromkeys(("com o", "com a", "com os", "com as"), "with"),
    **dict.fromkeys(("date au", "fecha al", "data para", "cierre al"), "date to"),
    **dict.fromkeys(("cerramos", "fechamos", "on a closé", "abbiamo chiuso"), "we closed"),
    **dict.fromkeys(("vencido", "vencida", "vencidos", "atrasado", "atrasada", "scaduto"),
                    "overdue"),
    **dict.fromkeys(("qué tengo vencido", "que tengo vencido", "qu'est-ce qui est en retard",
                     "o que está atrasado"), "what's overdue"),
    **dict.fromkeys(("por etapa", "par étape", "par etape", "por estágio", "por estagio",
                     "per fase", "por fase"), "by stage"),
    **dict.fromkeys(("par vendeur", "por comercial", "per venditore", "por representante"),
                    "by rep"),
    **dict.fromkeys(("panier moyen",), "average deal size"),
    **dict.fromkeys(("ciclo médio de vendas", "ciclo medio de venta", "ciclo de venta",
                     "ciclo de vendas", "cycle de vente", "cycle de vente moyen",
                     "ciclo di vendita"), "average sales cycle"),
    **dict.fromkeys(("del equipo", "de l'équipe", "da equipe", "del team", "toute l'équipe",
                     "todo el equipo", "toda a equipe"), "of the team"),
    **dict.fromkeys(("los próximos", "los proximos", "las próximas", "les prochains",
                     "les prochaines", "os próximos", "as próximas", "i prossimi"), "the next"),
    **dict.fromkeys(("días", "dias", "jours", "giorni"), "days"),
    **dict.fromkeys(("semanas", "semaines", "settimane"), "weeks"),
    **dict.fromkeys(("em meia hora", "en media hora", "dans une demi-heure",
                     "dans une demi heure", "dans 1/2 heure", "tra mezz'ora", "fra mezz'ora",
                     "daqui a meia hora"), "in 30 minutes"),
    **dict.fromkeys(("às segundas", "los lunes", "les lundis", "il lunedì"), "on mondays"),
    **dict.fromkeys(("às terças", "los martes", "les mardis"), "on tuesdays"),
    **dict.fromkeys(("às quartas", "los miércoles", "les mercredis"), "on wednesdays"),
    **dict.fromkeys(("às quintas", "los jueves", "les jeudis"), "on thursdays"),
    **dict.fromkeys(("às sextas", "los viernes", "les vendredis", "il venerdì"), "on fridays"),
    **dict.fromkeys(("porfa", "porfis", "porfavor", "pf", "pfv"), "please"),
    **dict.fromkeys(("resúmeme", "resumeme", "resumime", "resúmime", "résume-moi",
                     "resume-moi", "riassumi", "riassumimi", "me resume", "resuma"),
                    "summarize"),
    **dict.fromkeys(("escreve um email pro", "escreve um e-mail pro", "escribe un mail a",
                     "écris un courriel à", "redacta un mail a"), "draft an email to"),
    **dict.fromkeys(("comment ça marche", "comment ca marche", "cómo funciona", "como funciona",
                     "come funziona", "comment tu marches"), "how does this work"),
    **dict.fromkeys(("tu comprends quoi", "qu'est-ce que tu comprends", "qué entiendes",
                     "o que você entende", "cosa capisci"), "what can you do"),
    **dict.fromkeys(("feito", "listo", "terminé", "terminado", "concluído", "concluido"),
                    "done"),
    **dict.fromkeys(("como hecho", "como feito", "comme fait", "como completado",
                     "como completada", "como concluído", "come fatto"), "as done"),
    **dict.fromkeys(("bon de commande", "orden de compra", "ordem de compra",
                     "ordine d'acquisto"), "purchase order"),
    **dict.fromkeys(("colazione", "desayuno", "petit-déjeuner", "petit déjeuner",
                     "café da manhã"), "breakfast"),
    **dict.fromkeys(("j'ai lunché avec", "lunché avec", "j'ai dîné avec", "almorzamos con",
                     "ho pranzato con"), "had lunch with"),
    **dict.fromkeys(("acabei de sair da reunião", "acabo de salir de la reunión",
                     "je sors de la réunion", "je sors d'une réunion", "je sors de chez",
                     "acabei de sair da", "acabo de salir de"), "just left a meeting at"),
    **dict.fromkeys(("recebi um email da", "recebi um email do", "recebi um e-mail da",
                     "recibí un correo de", "recibí un mail de", "j'ai reçu un courriel de",
                     "j'ai reçu un mail de", "reçu un courriel de", "ho ricevuto una mail da"),
                    "got an email from"),
    **dict.fromkeys(("j'ai eu", "tuve a"), "spoke with"),
    **dict.fromkeys(("al teléfono", "por teléfono", "ao telefone", "al telefono"), "on the phone"),
    **dict.fromkeys(("bórrame", "borrame", "bórralos", "apaga", "apagar", "efface",
                     "effacer"), "delete"),
    **dict.fromkeys(("le devis révisé", "la cotización revisada", "o orçamento revisado"),
                    "the revised quote"),
    **dict.fromkeys(("agregá un contacto", "agrega un contacto", "agregar un contacto",
                     "ajoute un contact", "ajouter un contact", "adiciona um contato",
                     "aggiungi un contatto"), "add contact"),
    # Orders and news in their words, after a call told in English
    **dict.fromkeys(("pasa el deal a", "pasá el deal a", "passe le deal en", "passa o deal para",
                     "sposta il deal in", "sposta il deal a", "mueve el deal a",
                     "move o deal para"), "move the deal to"),
    **dict.fromkeys(("ponlo en", "ponla en", "pásalo a", "pásala a", "pasalo a", "muévelo a",
                     "muevelo a", "passe-les en", "passe-le en", "passe-la en", "passa-o para",
                     "passa ele para", "mettilo in", "mettiamolo in", "lascialo in",
                     "mets-le en", "mets-les en"), "move it to"),
    **dict.fromkeys(("mais", "pero", "però"), "but"),
    **dict.fromkeys(("donc", "entonces", "então", "entao", "quindi", "dunque"), "so"),
    **dict.fromkeys(("ils veulent", "elles veulent", "quieren", "querem", "vogliono"),
                    "they want"),
    **dict.fromkeys(("il veut", "elle veut", "quiere", "quer", "vuole"), "wants"),
    **dict.fromkeys(("dice que", "diz que", "dit que", "dice che"), "says"),
    **dict.fromkeys(("correu bem", "fue un éxito", "fue un exito", "ça s'est bien passé",
                     "è andata bene", "salió bien", "salio bien"), "went well"),
    **dict.fromkeys(("ahora mismo", "agora mesmo", "à l'instant", "poco fa"), "just now"),
    **dict.fromkeys(("manda-me um lembrete para", "manda-me um lembrete de",
                     "mándame un recordatorio para", "mandame un recordatorio para",
                     "envoie-moi un rappel pour"), "remind me to"),
    **dict.fromkeys(("di mandargli", "di mandarle", "di inviargli", "de lui renvoyer",
                     "de leur renvoyer"), "to send them"),
    **dict.fromkeys(("mandargli", "inviargli", "lui renvoyer", "leur renvoyer",
                     "reenviarle", "reenviar"), "send them"),
    **dict.fromkeys(("chiamarlo", "chiamarla", "richiamarlo", "richiamarla"), "call them"),
    **dict.fromkeys(("c/",), "with"),
    **dict.fromkeys(("nota para", "nota sobre", "nota rápida sobre", "nota rapida sobre",
                     "note pour", "note sur", "nota per", "nota su"), "note about"),
    **dict.fromkeys(("es el", "es la", "é o", "é a", "c'est le", "c'est la", "è il", "è la"),
                    "is the"),
    **dict.fromkeys(("fechado", "fechada", "cerrado y ganado", "chiuso vinto"), "closed won"),
    **dict.fromkeys(("fechou", "fecharam"), "signed"),
    **dict.fromkeys(("perdimos",), "we lost"),
    **dict.fromkeys(("on passe en", "on passe à", "passamos para", "passamos a", "passiamo a",
                     "passiamo in"), "moving to"),
    **dict.fromkeys(("lembrar de", "lembra eu de", "lembra-me de", "me lembre de",
                     "acordarme de", "recordarme de", "ricordarmi di"), "remind me to"),
    **dict.fromkeys(("agéndame", "agendame", "agende-me", "agenda-me", "programame",
                     "prográmame"), "schedule"),
    **dict.fromkeys(("contestarle", "responderle", "contestarles", "responderles",
                     "répondre à", "lui répondre", "responder a", "responder pra",
                     "rispondergli", "rispondere a"), "reply to them"),
    **dict.fromkeys(("que tengo", "qu'est-ce que j'ai", "cosa ho"), "what do I have"),
    **dict.fromkeys(("rascunho de email pro", "rascunho de email para", "rascunho de e-mail pro",
                     "rascunho de e-mail para", "borrador de correo para", "borrador de mail para",
                     "brouillon de courriel pour", "brouillon de mail pour", "bozza di mail per",
                     "bozza di email per"), "draft an email to"),
    **dict.fromkeys(("la cronologia di", "cronologia di", "la cronología de", "cronología de",
                     "a cronologia de", "a cronologia da", "la chronologie de",
                     "chronologie de"), "the timeline of"),
    **dict.fromkeys(("poneme al día", "ponme al día", "ponme al tanto", "poneme al tanto",
                     "mettimi al corrente", "mets-moi à jour", "me atualiza sobre",
                     "me põe a par"), "catch me up"),
    **dict.fromkeys(("socio", "sócio", "sócia", "socia", "associé", "associée"), "partner"),
    **dict.fromkeys(("caiu na caixa postal", "cayó en el buzón", "tombé sur la boîte vocale",
                     "boîte vocale"), "went to voicemail"),
    **dict.fromkeys(("déj avec", "dej avec"), "lunch with"),
    **dict.fromkeys(("me junté con", "me junte con", "nos juntamos con"), "met with"),
    **dict.fromkeys(("x tel", "por tel", "par tel", "pelo telefone"), "on the phone"),
    **dict.fromkeys(("visita técnica", "visite technique", "visita tecnica"), "site visit"),
    **dict.fromkeys(("tous les lundis",), "every monday"),
    **dict.fromkeys(("tous les vendredis",), "every friday"),
    **dict.fromkeys(("nos próximos", "en los próximos", "dans les prochains", "nei prossimi"),
                    "in the next"),
    **dict.fromkeys(("próximos", "próximas", "prochains", "prochaines", "prossimi"), "next"),
    **dict.fromkeys(("pomeriggio", "après-midi", "apres-midi"), "afternoon"),
    # Work done ("c'est fait: …", "ya quedó …")
    **dict.fromkeys(("c'est fait", "c'est réglé", "ya quedó", "ya quedo", "está feito", "fatto"),
                    "done"),
    # managers' questions in their words ("tasa de cierre", "pipeline ponderado por mes")
    **dict.fromkeys(("tasa de cierre", "taxa de fechamento", "taxa de conversão",
                     "taxa de conversao", "taux de conversion", "taux de closing",
                     "tasso di chiusura", "tasso di conversione", "tasa de conversión",
                     "tasa de conversion", "taux de réussite", "tasa de éxito"), "win rate"),
    **dict.fromkeys(("ponderado", "ponderada", "pondéré", "pondérée", "ponderato",
                     "ponderata"), "weighted"),
    **dict.fromkeys(("por mes", "por mês", "par mois", "per mese", "al mese"), "by month"),
    **dict.fromkeys(("por cuenta", "por cliente", "por conta", "par compte", "par client",
                     "per cliente"), "by account"),
    **dict.fromkeys(("le mois passé", "mois passé"), "last month"),
    **dict.fromkeys(("deste trimestre", "neste trimestre"), "this quarter"),
    **dict.fromkeys(("deste mês", "neste mês", "deste mes"), "this month"),
    **dict.fromkeys(("cosa devo fare", "qu'est-ce que je dois faire", "qué tengo que hacer",
                     "que tengo que hacer", "o que tenho que fazer", "o que eu tenho que fazer"),
                    "what do I have to do"),
    **dict.fromkeys(("o que tenho", "qué tengo"), "what do I have"),
    **dict.fromkeys(("a gente perdeu", "nós perdemos"), "we lost"),
    **dict.fromkeys(("ouverts", "ouvertes", "abertas", "aperti", "aperte"), "open"),
    **dict.fromkeys(("au-dessus de", "au dessus de", "por encima de", "acima de"), "over"),
    **dict.fromkeys(("combien de deals", "combien on a de deals", "combien d'opportunités"),
                    "how many deals"),
    **dict.fromkeys(("i deal di", "los deals de", "os deals do", "os deals da", "os deals de",
                     "les deals de", "las oportunidades de"), "the deals of"),
    **dict.fromkeys(("mais quentes", "mas calientes", "plus chauds", "più caldi", "piu caldi"),
                    "hottest"),
    **dict.fromkeys(("fammi vedere", "mostra-me", "mostre-me", "me mostra", "montre moi"),
                    "show me"),
    **dict.fromkeys(("quotidien", "quotidienne", "diário", "quotidiano", "giornaliero"),
                    "daily"),
    **dict.fromkeys(("hebdomadaire", "settimanale"), "weekly"),
    **dict.fromkeys(("qué puedes hacer", "que puedes hacer", "o que você faz",
                     "o que você pode fazer", "cosa sai fare", "que peux-tu faire",
                     "qu'est-ce que tu peux faire", "was kannst du", "c'est quoi que tu peux faire",
                     "tu peux faire quoi", "il fait quoi", "tu fais quoi", "c'est quoi ce bot",
                     "tu sais faire quoi", "qu'est-ce que tu sais faire", "qué sabes hacer",
                     "que sabes hacer", "o que você sabe fazer", "o que é que este bot faz",
                     "o que este bot faz", "o que esse bot faz"), "what can you do"),
    # Orders to a deal, and what a deal did ("coloca em negociação", "el deal baja a 52k")
    **dict.fromkeys(("mover pra", "mover pro", "coloca em", "colocar em", "coloca na",
                     "pásalos a", "pásalas a", "pasalos a", "passa pra", "passa pro",
                     "est passé en", "est passée en", "passé en"), "move to"),
    **dict.fromkeys(("extender el cierre al", "extender el cierre para", "mover el cierre al",
                     "mover el cierre para", "mover el cierre a", "empurrar o fechamento para",
                     "adiar o fechamento para", "passar o fechamento para",
                     "mover o fechamento para", "repousser la clôture au",
                     "décaler la clôture au"), "push the close date to"),
    **dict.fromkeys(("el deal baja a", "o deal cai para", "o deal caiu para", "le deal baisse à",
                     "el deal bajó a"), "the deal drops to"),
    **dict.fromkeys(("sube el deal de", "subí el deal de", "sobe o deal da", "sobe o deal de",
                     "sobe o deal do"), "bump the deal of"),
    # Done, and which task ("marca como feita a tarefa de ligar pro Thiago")
    **dict.fromkeys(("marca como feita a tarefa de", "marcar como feita a tarefa de",
                     "marca como concluída a tarefa de", "marca como hecha la tarea de",
                     "marca como completada la tarea de", "marca como terminada la tarea de",
                     "marque comme faite la tâche", "segna come fatta la task"), "done:"),
    # Who wrote ("me escribió", "me mandó email", "me contestó el mail")
    **dict.fromkeys(("me escribió", "me escribio", "nos escribió", "me mandó email",
                     "me mandó un email", "me mandó un correo", "me mandó un mail",
                     "me mando email", "me contestó el mail", "me contestó el correo",
                     "me respondió el correo", "me respondió el mail", "me escreveu",
                     "me mandou email", "me mandou um email", "me mandou um e-mail",
                     "respondeu o email", "respondeu o e-mail", "m'a écrit",
                     "m'a envoyé un courriel", "mi ha scritto"), "emailed me"),
    **dict.fromkeys(("agrega a", "añade a", "agregá a", "adiciona o", "adiciona a",
                     "ajoute", "aggiungi"), "add"),
    **dict.fromkeys(("tuve reunión con", "tuve una reunión con", "tive reunião com",
                     "tive uma reunião com", "incontro con", "incontro da"), "meeting with"),
    **dict.fromkeys(("chiamato", "ho sentito"), "called"),
    **dict.fromkeys(("rappelé", "rappelée"), "called back"),
    **dict.fromkeys(("relance-moi", "relancez-moi"), "remind me to follow up"),
    **dict.fromkeys(("persa", "perse", "perdue", "perdues"), "lost"),
    **dict.fromkeys(("revisar", "rever", "revisare"), "review"),
    # Rioplatense and Brazilian chat: "recordame", "mostrame", "borrá", "armame un mail",
    # "o q vc faz", "hj", "daqui 2h", "sobe o valor da"
    **dict.fromkeys(("recordame", "acordate de", "agendame un recordatorio para el",
                     "agendame recordatorio para el", "agendame un recordatorio para",
                     "agendame recordatorio para", "agendame un recordatorio",
                     "agendame recordatorio", "lembrar", "lembra"), "remind me"),
    **dict.fromkeys(("mostrame", "mostrá", "mostrame la", "mostrame los", "mostrame las"),
                    "show me"),
    **dict.fromkeys(("línea de tiempo de", "linea de tiempo de", "línea de tiempo del",
                     "linha do tempo de", "linha do tempo da", "linha do tempo do",
                     "historial de actividades de", "historial de actividades del"),
                    "timeline of"),
    **dict.fromkeys(("borrá la tarea de", "borra la tarea de", "elimina la tarea de",
                     "eliminá la tarea de", "apaga a tarefa de", "exclui a tarefa de",
                     "deleta a tarefa de"), "delete the task"),
    **dict.fromkeys(("redige um email p/", "redige um email pra", "redige um email para",
                     "redigir um email para", "armame un mail para", "armá un mail para",
                     "armame un correo para", "armame un email para", "armame un mail a"),
                    "draft an email to"),
    **dict.fromkeys(("o q vc faz", "o que vc faz", "o q você faz", "q vc faz", "vc faz o q",
                     "o q vc sabe fazer", "qué hacés", "que haces vos"), "what can you do"),
    **dict.fromkeys(("o q tenho pra hj", "o que tenho pra hj", "o q tenho pra hoje",
                     "o q eu tenho pra hj"), "what do I have today"),
    **dict.fromkeys(("hj",), "today"),
    **dict.fromkeys(("nota de voz", "nota de voz:", "áudio", "audio:"), "voice note"),
    **dict.fromkeys(("me llamó", "me llamo", "ligou a", "ligou o"), "call from"),
    **dict.fromkeys(("pedindo", "pidiendo"), "asking for"),
    **dict.fromkeys(("para de mandar", "pare de mandar", "deja de mandar", "dejá de mandar",
                     "para de enviar", "deja de enviar", "dejá de enviar"), "stop sending"),
    **dict.fromkeys(("muda o", "mude o", "cambia el", "cambiá el"), "change the"),
    **dict.fromkeys(("abre oportunidade", "abre uma oportunidade", "abrir oportunidade",
                     "abrí una oportunidad", "abre una oportunidad", "abrir una oportunidad",
                     "abre um deal", "abrí un deal"), "open a deal"),
    **dict.fromkeys(("nuevo negocio", "novo negócio", "novo negocio", "nueva oportunidad",
                     "nova oportunidade"), "new deal"),
    **dict.fromkeys(("quedamos en etapa de", "quedamos en fase de", "ficamos na etapa de",
                     "pasamos a"), "moved to"),
    **dict.fromkeys(("no último trimestre", "el último trimestre", "en el último trimestre",
                     "el trimestre pasado", "o trimestre passado", "no trimestre passado"),
                    "last quarter"),
    **dict.fromkeys(("esse mês", "este mes", "este mês", "nesse mês"), "this month"),
    **dict.fromkeys(("estuve en", "estuvimos en", "estive na", "estive no", "estivemos na",
                     "estivemos no"), "I was at"),
    **dict.fromkeys(("sobe o valor da", "sobe o valor do", "sube el monto de",
                     "subí el monto de", "bajá el monto de", "baja el monto de",
                     "baixa o valor da", "baixa o valor do", "baixe o valor da"),
                    "update the amount of"),
    **dict.fromkeys(("empurra o fechamento da", "empurra o fechamento do",
                     "empurrar o fechamento da", "empurrar o fechamento do"),
                    "push the close date of"),
    **dict.fromkeys(("pro dia", "para o dia", "pra o dia"), "to"),
    **dict.fromkeys(("mail recibido de", "correo recibido de", "email recibido de",
                     "email recebido de", "e-mail recebido de"), "email from"),
    **dict.fromkeys(("almocei c/ a", "almocei c/ o", "almocei com a", "almocei com o",
                     "almocei c/", "almocé con"), "had lunch with"),
    **dict.fromkeys(("c/ o", "c/ a"), "with"),
    **dict.fromkeys(("agregar a", "añadir a", "agendá a", "agendame a"), "add"),
    **dict.fromkeys(("to trattativa", "in trattativa", "a trattativa"), "to negotiation"),
    **dict.fromkeys(("signés", "signées", "firmados", "firmadas", "firmati", "assinados"), "won"),
    **dict.fromkeys(("fin de año", "fin de ano", "fim do ano", "fim de ano", "fine anno",
                     "fin d'année", "fin de l'année"), "end of year"),
    **dict.fromkeys(("recordatorio", "lembrete", "promemoria", "rappel"), "reminder"),
    **dict.fromkeys(("ponme un recordatorio", "pon un recordatorio", "poneme un recordatorio",
                     "me pone un lembrete", "mettimi un promemoria"), "remind me"),
    **dict.fromkeys(("ojo que",), "heads up"),
    **dict.fromkeys(("ojo:", "atenção:", "attenzione:"), "heads up:"),
    **dict.fromkeys(("valore medio", "valor medio", "valor médio", "valeur moyenne",
                     "ticket medio", "ticket médio", "ticket moyen"), "average deal size"),
    **dict.fromkeys(("le mandé a", "les mandé a", "le envié a", "les envié a"), "sent"),
    **dict.fromkeys(("mandato email a", "mandato una mail a", "inviato email a",
                     "inviato una mail a", "ho mandato una mail a", "ho inviato una mail a"),
                    "emailed"),
    **dict.fromkeys(("hecho:", "feito:", "fatto:", "listo:"), "done:"),
    **dict.fromkeys(("de mandar", "de enviar"), "to send"),
    # Spanish of Mexico, Colombia, Chile and Spain ("le llamé a", "me reuní con", "Agéndame
    # seguimiento", "ponme una tarea pa", "hazme un borrador", "dame los 3 leads más hot")
    **dict.fromkeys(("mandé", "envié", "mande", "envie"), "sent"),
    **dict.fromkeys(("le llamé a", "llamé a", "le marqué a"), "called"),
    **dict.fromkeys(("me reuní con", "nos reunimos con", "reu con", "reu w/"), "meeting with"),
    **dict.fromkeys(("comí con", "almorcé con", "cené con"), "had lunch with"),
    **dict.fromkeys(("mueve el cierre a", "mueve el cierre al", "mové el cierre a",
                     "muevan el cierre a"), "move the close date to"),
    **dict.fromkeys(("moverlo a", "moverla a", "moverlos a", "movelo a", "movela a"),
                    "move it to"),
    **dict.fromkeys(("agéndame seguimiento", "agendame seguimiento", "agéndame un seguimiento",
                     "agendame un seguimiento"), "remind me to follow up"),
    **dict.fromkeys(("seguimiento",), "follow up"),
    **dict.fromkeys(("ponme una tarea pa", "ponme una tarea para", "ponme una tarea",
                     "crea una tarea para", "creá una tarea para"), "add a task to"),
    **dict.fromkeys(("hazme un borrador de email para", "hazme un borrador de correo para",
                     "hazme un borrador para", "haceme un borrador para", "haz un borrador para"),
                    "draft an email to"),
    **dict.fromkeys(("done con", "listo con", "terminé con"), "done with"),
    **dict.fromkeys(("hoy en la noche", "hoy por la noche", "en la noche"), "tonight"),
    **dict.fromkeys(("la tarea de", "a tarefa de"), "the task"),
    **dict.fromkeys(("ya está hecha", "ya está hecho", "ya esta hecha", "já está feita",
                     "já está feito"), "is done"),
    **dict.fromkeys(("más hot", "mais hot", "más calientes"), "hottest"),
    **dict.fromkeys(("cobrarle a", "cobrar a", "cobrarles a"), "collect payment from"),
    **dict.fromkeys(("checar", "chequear"), "check"),
    **dict.fromkeys(("medio millón", "meio milhão"), "500k"),
    **dict.fromkeys(("el monto subió a", "el monto sube a", "o valor subiu para"),
                    "the amount went up to"),
    **dict.fromkeys(("si no contesta", "si no responde", "se não responder"), "if no reply"),
    **dict.fromkeys(("cuánto cerró", "cuanto cerró", "cuanto cerro", "quanto fechou"),
                    "how much has closed"),
    **dict.fromkeys(("cerró",), "closed"),
    **dict.fromkeys(("mezzo milione", "un demi-million", "demi-million", "medio millon"), "500k"),
    **dict.fromkeys(("desuscribime del", "desuscríbeme del", "desuscribime de", "dame de baja del",
                     "dame de baja de", "désabonne-moi du", "desinscreve-me do"),
                    "unsubscribe me from"),
    **dict.fromkeys(("sube a", "subió a", "sobe para", "subiu para", "sale a", "passa a 1",),
                    "goes up to"),
    **dict.fromkeys(("scrivimi una mail per", "scrivimi una mail a", "scrivi una mail per",
                     "redacta un email para", "redacta un mail para", "redacta un correo para"),
                    "draft an email to"),
    **dict.fromkeys(("qué comandos acepta", "que comandos acepta", "qué comandos", "que comandos",
                     "como eu uso esse bot", "como uso este bot", "cómo uso este bot",
                     "como eu uso este bot", "come si usa questo bot"), "what can you do"),
    **dict.fromkeys(("spostiamolo in", "spostiamola in", "spostalo in", "spostala in",
                     "spostiamolo a", "spostalo a"), "move it to"),
    **dict.fromkeys(("la mia pipeline", "la mia pipe", "mia pipeline"), "my pipeline"),
    **dict.fromkeys(("em atraso", "atrasadas", "atrasados", "vencidas", "en retard",
                     "in ritardo", "scadute"), "overdue"),
    **dict.fromkeys(("fechamos o", "fechamos a", "cerramos con", "cerramos a"), "we won"),
    **dict.fromkeys(("o q tenho", "o que eu tenho", "q tenho"), "what do I have"),
    **dict.fromkeys(("essa semana", "nessa semana"), "this week"),
    **dict.fromkeys(("nb de", "nombre de"), "number of"),
    **dict.fromkeys(("em aberto", "en abierto", "en cours"), "open"),
    **dict.fromkeys(("coup de fil rapide avec", "coup de fil avec", "petit coup de fil avec"),
                    "quick call with"),
    **dict.fromkeys(("coup de fil",), "call"),
    **dict.fromkeys(("chiamata con", "chiamata veloce con"), "call with"),
    **dict.fromkeys(("email do", "e-mail do", "mail do", "email dos"), "email from"),
    **dict.fromkeys(("mandou email", "mandou um email", "mandou e-mail", "mandou um e-mail",
                     "mandaram email", "mandaram um email"), "emailed"),
    **dict.fromkeys(("ligou", "me ligou"), "called"),
    **dict.fromkeys(("falei c/", "falei com", "falei c/ o", "falei c/ a", "falei com o",
                     "falei com a"), "spoke with"),
    **dict.fromkeys(("ya están en", "ya está en", "ya estan en", "ya esta en", "já estão em",
                     "já está em"), "they're already in"),
    # French of Quebec, France, Belgium and Morocco ("tu sers à quoi", "appel entrant de",
    # "Courriel reçu de", "fin T1", "au stade lead", "je la relance le 29")
    **dict.fromkeys(("tu sers à quoi", "à quoi tu sers", "tu sers a quoi", "comment je fais pour",
                     "comment faire pour"), "how do I"),
    **dict.fromkeys(("appel entrant de", "appel reçu de", "llamada entrante de",
                     "chamada recebida de"), "incoming call from"),
    **dict.fromkeys(("courriel reçu de", "mail reçu de", "email reçu de", "e-mail reçu de"),
                    "email from"),
    **dict.fromkeys(("mail envoyé", "courriel envoyé", "email envoyé"), "email sent"),
    **dict.fromkeys(("fin T1", "fin du T1", "fin Q1"), "end of Q1"),
    **dict.fromkeys(("fin T2", "fin du T2", "fin Q2"), "end of Q2"),
    **dict.fromkeys(("fin T3", "fin du T3", "fin Q3"), "end of Q3"),
    **dict.fromkeys(("fin T4", "fin du T4", "fin Q4"), "end of Q4"),
    **dict.fromkeys(("nouvelle affaire", "nouvelle opportunité", "nouvelle opp"), "new deal"),
    **dict.fromkeys(("au stade", "stade", "à l'étape"), "stage"),
    **dict.fromkeys(("stade proposition", "en proposition", "étape proposition"),
                    "stage proposal"),
    **dict.fromkeys(("rédige un courriel pour", "rédige un courriel à", "rédige un mail pour",
                     "rédige un mail à", "écris un mail à", "écris un courriel pour"),
                    "draft an email to"),
    **dict.fromkeys(("faut lui envoyer", "il faut lui envoyer", "faut leur envoyer"),
                    "need to send them"),
    **dict.fromkeys(("je la relance", "je le relance", "je les relance", "je relance"),
                    "follow up with them"),
    **dict.fromkeys(("visite chantier", "visite de chantier", "visite sur site",
                     "visita de obra", "visita a obra"), "site visit"),
    **dict.fromkeys(("à midi", "a midi"), "at noon"),
    **dict.fromkeys(("l'historique complet de", "l'historique de", "historique complet de"),
                    "timeline of"),
    **dict.fromkeys(("le prochain trimestre", "prochain trimestre", "el próximo trimestre",
                     "o próximo trimestre", "il prossimo trimestre"), "next quarter"),
    **dict.fromkeys(("du trimestre dernier", "le trimestre dernier", "trimestre dernier",
                     "del trimestre pasado", "do trimestre passado", "dello scorso trimestre"),
                    "last quarter"),
    **dict.fromkeys(("mon pipe", "mon pipeline", "mi pipe", "mi pipeline", "meu pipe",
                     "meu pipeline", "il mio pipe", "il mio pipeline"), "my pipeline"),
    **dict.fromkeys(("au tel", "au tél", "au téléphone"), "on the phone"),
    **dict.fromkeys(("arrête le", "arrête les", "arrêtez le", "arrêtez les"), "stop the"),
    **dict.fromkeys(("résumé sur", "un résumé sur", "resumen sobre", "resumo sobre"),
                    "summary of"),
    **dict.fromkeys(("la tâche", "la tarea", "a tarefa", "il task"), "the task"),
    **dict.fromkeys(("est faite", "est fait", "está hecha", "está feita", "è fatto", "è fatta"),
                    "is done"),
    **dict.fromkeys(("actualizá", "actualiza", "atualiza", "atualize", "aggiorna"), "update"),
    **dict.fromkeys(("pasar por", "passar na", "passar no", "passar pela", "passar pelo"),
                    "stop by"),
    **dict.fromkeys(("de ligar pro", "de ligar pra", "de ligar para", "de llamar a"), "to call"),
    **dict.fromkeys(("jantar",), "dinner"),
    **dict.fromkeys(("tél. avec", "tel. avec", "tél avec", "tel avec", "tél. con", "tel. con"),
                    "call with"),
    **dict.fromkeys(("pediu", "pidió", "pidio"), "asked for"),
    **dict.fromkeys(("pour eux", "pour elle", "pour lui", "para ellos", "para ellas", "para eles",
                     "pra eles", "per loro"), "for them"),
    **dict.fromkeys(("hanno scelto", "ils ont choisi", "eligieron", "escolheram"),
                    "they chose"),
    # Managers' words ("número de deals abertos por owner", "forecast ponderado del trimestre")
    **dict.fromkeys(("número de", "numero de", "numéro de", "numero di"), "number of"),
    **dict.fromkeys(("por owner", "por dono", "por vendedor", "por vendedora", "par owner",
                     "per owner", "par commercial", "por rep", "par rep"), "by owner"),
    **dict.fromkeys(("del trimestre", "do trimestre", "du trimestre", "del trimestre actual"),
                    "this quarter"),
    **dict.fromkeys(("resumo semanal", "resumen semanal", "résumé hebdo",
                     "résumé hebdomadaire", "riepilogo settimanale"), "weekly digest"),
    **dict.fromkeys(("resumo diário", "resumen diario", "résumé quotidien"), "daily digest"),
    **dict.fromkeys(("cancela o", "cancela el", "cancelar o", "cancelar el", "cancela la",
                     "annule le", "annulla il"), "cancel the"),
    **dict.fromkeys(("quais deals temos com a", "quais deals temos com o", "quais deals temos com",
                     "qué deals tenemos con", "que deals tenemos con"),
                    "which deals do we have with"),
    **dict.fromkeys(("q tengo para hoy", "qué tengo para hoy", "que tengo para hoy",
                     "qué tengo hoy", "o que tenho pra hoje", "o que tenho para hoje"),
                    "what do I have today"),
}
FOREIGN_WORDS: dict[str, str] = {
    **dict.fromkeys(("reunión", "reunion", "reunião", "besprechung", "kundentermin",
                     "kundenbesuch", "spotkanie", "riunione", "vergadering", "afspraak",
                     "rendez-vous"), "meeting"),
    **dict.fromkeys(("llamada", "ligação", "ligacao", "chamada", "telefonat", "telko",
                     "belletje", "telefonata", "appel", "telefoontje"), "call"),
    **dict.fromkeys(("nuevo contacto", "novo contato", "novo contacto", "neuer kontakt",
                     "nieuw contact", "nuovo contatto", "nouveau contact", "nowy kontakt"),
                    "new contact"),
    **dict.fromkeys(("ayer", "ontem", "gestern", "gisteren", "wczoraj", "ieri"), "yesterday"),
    **dict.fromkeys(("hoy", "hoje", "heute", "vandaag", "dzisiaj", "oggi",
                     "aujourd'hui"), "today"),
    **dict.fromkeys(("mañana", "amanhã", "amanha", "jutro", "domani", "demain"), "tomorrow"),
    **dict.fromkeys(("el lunes", "montag", "maandag", "lundi", "lunedì"), "monday"),
    **dict.fromkeys(("el martes", "dienstag", "dinsdag", "mardi", "martedì"), "tuesday"),
    **dict.fromkeys(("el miércoles", "mittwoch", "woensdag", "mercredi", "mercoledì"),
                    "wednesday"),
    **dict.fromkeys(("el jueves", "donnerstag", "donderdag", "jeudi", "giovedì"), "thursday"),
    **dict.fromkeys(("el viernes", "freitag", "vrijdag", "vendredi", "venerdì"), "friday"),
    **dict.fromkeys(("recordarme", "recuérdame", "recuerdame", "lembre-me", "lembrar-me",
                     "erinnere mich", "rappelle-moi", "przypomnij mi", "ingatkan saya",
                     "herinner me", "ricordami", "påminn mig", "muistuta minua"), "remind me"),
    **dict.fromkeys(("visita", "besuch", "wizyta", "kunjungan"), "visit"),
    **dict.fromkeys(("reunião na", "reunião no", "reuniao na", "reuniao no", "reunión en",
                     "réunion chez"), "meeting at"),
    **dict.fromkeys(("almoço na", "almoço no", "almoco na", "almoco no"), "lunch at"),
    **dict.fromkeys(("visita na", "visita no", "visita em", "visita en", "visita a"), "visit at"),
    **dict.fromkeys(("rückruf", "ruckruf", "anruf von"), "call from"),
    **dict.fromkeys(("dün",), "yesterday"),
    **dict.fromkeys(("bugün",), "today"),
    **dict.fromkeys(("yarın",), "tomorrow"),
    **dict.fromkeys(("pazartesi",), "monday"),
    **dict.fromkeys(("salı",), "tuesday"),
    **dict.fromkeys(("çarşamba",), "wednesday"),
    **dict.fromkeys(("perşembe",), "thursday"),
    **dict.fromkeys(("mis deals", "meus deals", "meine deals"), "my deals"),
    **dict.fromkeys(("abiertos", "abiertas", "abertos", "offenen"), "open"),
    **dict.fromkeys(("tareas", "tarefas", "aufgaben", "zadania"), "tasks"),
    **dict.fromkeys(("esta semana", "diese woche", "ten tydzień"), "this week"),
    **dict.fromkeys(("semanal", "wöchentlich", "wochentlich"), "weekly"),
    **dict.fromkeys(("diario", "diária", "täglich", "taglich"), "daily"),
    **dict.fromkeys(("historial de actividades", "historial de", "historial", "histórico de",
                     "histórico", "historique de", "historique"), "timeline of"),
    **dict.fromkeys(("提醒",), "remind"),
    **dict.fromkeys(("a las", "às"), "at"),
    **dict.fromkeys(("el sábado", "samstag", "zaterdag", "samedi", "sabato"), "saturday"),
    **dict.fromkeys(("el domingo", "sonntag", "zondag", "dimanche", "domenica"), "sunday"),
    **dict.fromkeys(("pasado mañana", "übermorgen", "overmorgen", "pojutrze"),
                    "the day after tomorrow"),
    **dict.fromkeys(("la próxima semana", "próxima semana", "nächste woche", "volgende week",
                     "la semaine prochaine", "w przyszłym tygodniu", "la semana que viene",
                     "semana que vem", "la settimana prossima", "settimana prossima",
                     "la prossima settimana", "prochaine semaine"), "next week"),
    **dict.fromkeys(("daqui meia hora", "daqui a meia hora", "dentro de media hora",
                     "en media hora", "tra mezz'ora", "fra mezz'ora", "dans une demi-heure"),
                    "in 30 minutes"),  # (after half hours are read as minutes)
    **dict.fromkeys(("o zap", "um zap", "zap", "zapzap", "o whats", "um whats"),
                    "a WhatsApp"),
    **dict.fromkeys(("che comandi ci sono", "quali comandi ci sono", "que comandos hay",
                     "qué comandos hay", "quais comandos tem", "quais são os comandos",
                     "quels sont les commandes", "quelles commandes"), "what can you do"),
    **dict.fromkeys(("sopralluogo", "sopralluogo tecnico"), "site visit"),
    **dict.fromkeys(("cena",), "dinner"),
    **dict.fromkeys(("cadastra o contato", "cadastrar o contato", "cadastra contato",
                     "cadastre o contato", "cadastra a contato", "cadastra o contacto",
                     "registra el contacto", "registrar contacto", "registra il contatto"),
                    "add contact"),
    **dict.fromkeys(("email enviado p/", "email enviado para", "email enviado pra",
                     "e-mail enviado para", "correo enviado a", "mail inviata a",
                     "email inviata a", "mail enviado a", "email enviado a", "mail enviado p/",
                     "mail enviado para", "mail mandado a", "correo mandado a"), "emailed"),
    **dict.fromkeys(("hablé por tlf con", "hablé x teléfono con", "hablé x tlf con",
                     "hable por tlf con", "hable x telefono con", "hablé x tel con",
                     "hablé por tel con", "falei por telefone com", "falei por tel com",
                     "falei x tel com"), "call with"),
    **dict.fromkeys(("llamada rápida con", "llamada rapida con", "ligação rápida com",
                     "ligacao rapida com", "chiamata veloce con", "appel rapide avec"),
                    "quick call with"),
    **dict.fromkeys(("hazme un borrador de email a", "hazme un borrador de correo a",
                     "haz un borrador de email a", "haceme un borrador de mail a",
                     "hazme un borrador de mail a", "escribe un borrador a"), "draft an email to"),
    **dict.fromkeys(("ciclo medio di vendita", "ciclo medio di vendite", "ciclo medio de venta",
                     "ciclo promedio de venta", "ciclo medio de vendas", "cycle de vente moyen",
                     "cycle moyen de vente"), "average sales cycle"),
    **dict.fromkeys(("negosiación", "negosiacion", "negociasión", "negoziazione"),
                    "negotiation"),
    **dict.fromkeys(("abre deal", "abre um deal", "abrir deal", "abre un deal", "apri un deal"),
                    "open a deal"),
    **dict.fromkeys(("titolare", "titular", "titulaire"), "owner"),
    **dict.fromkeys(("agora",), "now"),
    **dict.fromkeys(("sácame del", "sacame del", "sácame de", "sacame de", "me saca do",
                     "me tira do", "tirame del", "tírame del"), "unsubscribe me from"),
    **dict.fromkeys(("ya no quiero el", "ya no quiero", "não quero mais o", "nao quero mais o",
                     "non voglio più il"), "stop the"),
    **dict.fromkeys(("quitalo", "quítalo", "sacalo", "sácalo", "tira", "tirá"), "remove it"),
    **dict.fromkeys(("telefonema com", "telefonema com o", "telefonema com a", "telefonema c/"),
                    "call with"),
    **dict.fromkeys(("telefonema",), "phone call"),
    **dict.fromkeys(("mueve", "movê", "mova", "muovi", "déplace"), "move"),
    **dict.fromkeys(("avançar pra", "avançar para", "avanza a", "avanzar a", "avanzalo a",
                     "avánzalo a", "sube a", "súbelo a", "subilo a"), "move to"),
    **dict.fromkeys(("sube el deal a", "subí el deal a", "sobe o deal pra", "sobe o deal para",
                     "alza el deal a"), "update the deal amount to"),
    **dict.fromkeys(("marca como feita a tarefa", "marca como feita", "marca como hecha la tarea",
                     "marca como hecha", "marcá como hecha", "segna come fatta",
                     "marque comme fait",
                     "marca como concluída", "marca como concluida"), "done:"),
    **dict.fromkeys(("q tengo pendiente para hoy", "que tengo pendiente para hoy",
                     "q tengo pendiente hoy", "qué tengo pendiente hoy", "que tengo pendiente hoy",
                     "qué tengo pendiente para hoy"), "what do I have today"),
    **dict.fromkeys(("q paso con", "qué pasó con", "que paso con", "o que rolou com",
                     "o que houve com"), "catch me up on"),
    **dict.fromkeys(("cada vendedor", "cada vendedora", "cada rep", "cada comercial"),
                    "each rep"),
    **dict.fromkeys(("muda o fecho da", "muda o fecho do", "muda o fecho de",
                     "muda a data de fecho da",
                     "cambia el cierre de", "cambia la fecha de cierre de"),
                    "change the close date of"),
    **dict.fromkeys(("reuniao presencial na", "reunião presencial na", "reuniao presencial no",
                     "reunião presencial no"), "meeting at"),
    **dict.fromkeys(("preparar", "prepara", "preparare"), "prepare"),
    **dict.fromkeys(("ya estamos en", "já estamos em", "ja estamos em", "siamo già in",
                     "on est déjà en", "nous sommes déjà en"), "we're now in"),
    **dict.fromkeys(("estamos en", "estamos em", "siamo in", "on est en", "nous sommes en"),
                    "we're in"),
    **_GLOSS,
}
# More phrases of the reps' other languages, by what they say in English: written for this
# engine to a list of the contract's cues (calls, meetings, e-mails, orders, stages, periods,
# managers' measures), with the ambiguous ones left out (`gloss/code_switched.json`). The
# phrases above win where both give one.
_GLOSSED = json.loads((Path(__file__).resolve().parent / "gloss" / "code_switched.json")
                      .read_text(encoding="utf-8"))
FOREIGN_WORDS = {phrase.lower(): said for phrase, said in {
    **{phrase: said for said, phrases in _GLOSSED.items() for phrase in phrases},
    **FOREIGN_WORDS}.items()}  # (looked up by the lower-case phrase: "fin T1")
# "with" as those languages say it, right after a meeting or a call said in them
FOREIGN_WITH = ("con", "com", "mit", "met", "z", "bei", "da", "cu")

WEEKDAY_ABBR = {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "weds": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
}
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
)
MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "couple": 2, "few": 3,
}

# Said before a person's name: "Mr. Aarav Krishnamurthy", "Prof. Lindqvist". Not a name by
# itself; kept with the name it is said with (see rules._titled).
HONORIFICS = words("mr mrs ms miss mx dr prof sir madam mme mlle herr frau sr sra srta engr eng "
                   "ing mag dipl atty hon doç dra dott lic judr mudr phdr rndr señora señor senora "
                   "senor dato' datin m")  # (m: "M. Benali", monsieur)

# Capitalized words that are never a name by themselves.
NOT_NAMES = words(
    """
    api apis sla nda sow msa rfp rfq rfi poc erp crm sso kpi roi pdf sdk uat faq dpa
    i i'm i'll i've i'd we we're we've we'd we'll they they're they've they'd they'll
    he she he's she's it it's you our my their his
    her the a an this that these those and or but so also then just please pls hi hey hello
    yes no ok okay thanks thank lol fyi note quick heads called call calling had have has met
    meet meeting met sent send emailed email emails mail spoke talked chatted caught rang
    phoned pinged ping left got received replied demo demoed coffee lunch breakfast dinner
    drinks onsite visit visited workshop webinar try mailed brilliant awesome amazing fantastic
    moving move moved kindly ran walked toured hopped jumped
    excellent kiitos tack danke gracias obrigado merci
    grazie dzięki dziękuję shukran log logged add added new create created open
    opened move
    moved mark marked bump bumped push pushed set change update updated remind reminder
    task todo follow circle reach check chase prep prepare draft write compose summarize
    reopen re-open give gimme grab pull fetch tell bring find get intro phone video em 'em
    close purchasing procurement reception accounts payable lekker heads-up kindly summary
    register timeline history engr atty dipl stopped dropped popped swung kickoff kick-off smoko
    braai verbal notiz brekkie grabbed renewal fancy eish voice
    arabic hindi mandarin swahili bahasa tagalog urdu tamil telugu marathi bengali english
    summarise catch show list what what's whats who how when where why which is are was
    were will would can could should did do does done today tomorrow yesterday tonight
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed weds thu thur
    thurs fri sat sun january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec eod eow eom asap q1 q2 q3 q4
    re via per as at from with for to on in by of about after before since until next last
    deal deals pipeline forecast stage contact contacts account accounts team everyone
    voicemail vm great good bad awesome looks went go going need needs wants want asked
    let lets let's don't dont do not mr mrs ms dr prof mme mlle herr frau sr sra srta big
    demo'd vm'd cc'd pinged texted zoomed circled touched sat left btw incoming
    myself yourself himself herself themselves ourselves me him them us tbd tba n/a
    zoom zoomcall webex gmeet hangout hangouts facetime skype whatsapp teams
    usd eur gbp aud nzd cad sgd hkd inr zar jpy cny rmb chf sek nok dkk brl mxn aed sar myr
    idr php thb krw pln czk huf ngn kes
    """
)


# Legal forms that close a company's name, as words (dots dropped, lower case): a closed
# class, so the tagger may know them by heart ("sp. z o.o.", "A/S", "K.K.", "A.Ş.").
LEGAL_FORMS = words(
    """
    inc ltd llc llp lp plc corp co limited incorporated gmbh ag kg ug ohg ek sa sas sarl
    sasu eurl sca snc sl slu sau spa srl sapa snc bv nv vof cv oy oyj ab as asa aps a/s
    i/s hf ehf kk gk yk pty pvt pte sdn bhd tbk pt cv ltda lda eireli me cia fze fzco
    fz-llc dmcc wll pjsc saog ksc jsc ojsc ooo zao too uab sia ou oü as dd doo d.o.o sro
    s.r.o zrt kft nyrt bt spzoo sp.z.o.o z o.o oao ao ab publ a.ş aş şti ltd.şti sti
    srl-d sc sac saa eirl spa s.p.a s.a s.a.s s.r.l b.v n.v k.k a.g s.l s.a.b c.v r.l
    ltée ltee
    """
)

# Particles inside a person's name ("Ahmed bin Rashid", "Ingrid van der Berg", "Rafael
# dos Santos", "Maria de la Cruz", "Jan ter Horst").
NAME_PARTICLES = words(
    """
    van von der den de da di do dos das du des del della dello la le lo los las y e
    bin bint ibn ben bat al el abu ter ten zu af av mac mc st ap
    """
)


_TYPED_AS_ENGLISH = frozenset(("audio", "cerro", "signe", "signes", "demo", "termine", "rencontre"))


@lru_cache(maxsize=16384)
def fold(word: str) -> str:
    """`word` in lower case without its accents ("Siobhán" → "siobhan", "Søren" →
    "soren"), for looking names up however they were typed."""
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(_NO_DECOMPOSE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_NO_DECOMPOSE = str.maketrans({"ø": "o", "æ": "ae", "å": "a", "ß": "ss", "ł": "l",
                               "đ": "d", "ð": "d", "þ": "th", "ı": "i", "œ": "oe"})

_NAMES_OR_ENGLISH = FIRST_NAMES | SURNAMES | _TYPED_AS_ENGLISH
# Reps type without accents ("reuniao com", "almorce con", "recuerdame"): each phrase is
# looked up unaccented too, unless that reads as another phrase, a short word, or a name
# ("marcó" is no "Marco", "às" no "as").
FOREIGN_WORDS = {**{fold(phrase): said for phrase, said in FOREIGN_WORDS.items()
                    if fold(phrase) != phrase and (" " in phrase or len(phrase) >= 5)
                    and not any(fold(w) != w and
                                fold(w) in _NAMES_OR_ENGLISH
                                for w in phrase.split())},  # ("di março" is no "di Marco")
                 **FOREIGN_WORDS}


class _Names(frozenset):
    """A set of lower-case names that also finds a name typed without (or with other)
    accents: "siobhan" and "Zoë" are found as "siobhán" and "zoe" would be."""

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        return frozenset.__contains__(self, word) or frozenset.__contains__(self, fold(word))


def names_by_region(kind: str) -> dict[str, tuple[str, ...]]:
    """Given ("given") or family ("family") names by region, from `names/<kind>.txt`: one
    "<region>\t<Name>" a line, written for this engine, names that are also everyday words
    left out. They teach the name tagger (bot/nlu/train) and widen the word lists here."""
    found: dict[str, list[str]] = {}
    for line in (_NAMES_DIR / f"{kind}.txt").read_text(encoding="utf-8").splitlines():
        region, _, name = line.partition("\t")
        if name:
            found.setdefault(region, []).append(name)
    return {region: tuple(names) for region, names in found.items()}


_NAMES_DIR = Path(__file__).resolve().parent / "names"
_NO_NAME = NOT_NAMES | COMPANY_WORDS | TITLE_WORDS | frozenset(MONTHS) | frozenset(WEEKDAYS) \
    | frozenset(FOREIGN_WORDS) | frozenset(SLANG)


def _single(kind: str) -> set[str]:
    return {name.lower() for names in names_by_region(kind).values() for name in names
            if " " not in name} - _NO_NAME


FIRST_NAMES = FIRST_NAMES | _single("given")
SURNAMES = SURNAMES | _single("family")
FIRST_NAMES = _Names(FIRST_NAMES | {fold(name) for name in FIRST_NAMES})
SURNAMES = _Names(SURNAMES | {fold(name) for name in SURNAMES})

# A name ending in an abbreviation keeps its stop as people write it ("S.A.",
# "sp. z o.o.", "Ashanti Mining Inc."), even where the stop also ends the sentence.
ABBREVIATED_END = re.compile(r"(?:\w\.\w+|\b(?i:inc|ltd|corp|co|bhd|cia|lda|ltda))\.$")

# Days said in words, as a voice note gives them: "march thirty first", "the twenty-second".
ORDINAL_DAYS = {w: i + 1 for i, w in enumerate((
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth"))}
ORDINAL_DAYS |= {"twentieth": 20, "thirtieth": 30}
ORDINAL_DAYS |= {f"twenty{sep}{w}": 20 + i for sep in (" ", "-")
                 for w, i in list(ORDINAL_DAYS.items()) if i <= 9} \
    | {"thirty first": 31, "thirty-first": 31}
ORDINAL_WORD = ("(?=[" + "".join(sorted({w[0] for w in ORDINAL_DAYS})) + "])"  # a quick test
                + "(?:" + "|".join(sorted(map(re.escape, ORDINAL_DAYS), key=len, reverse=True))
                + ")")

# The words that delete: a deletion is never read without one (and is never a question).
DELETE_VERBS = (r"(?:delete|remove|drop|cancel|scrap|scratch|trash|kill|clear|get rid of|nuke|bin|"
                r"nix|erase)")
# A request that opens with one ("delete all of Pedro's deals") asks for no list
STARTS_DELETING = re.compile(DELETE_VERBS + r"\b", re.IGNORECASE)

# "did a call with Ana", "finished the demo at Kessler": an encounter told, not a task done
# (but "did the demo booking task" is one)
AN_ENCOUNTER = (r"(?![^.;!?]*\b(?:task|reminder|to-?do)s?\W*$)"
                r"(?:(?:call|meeting|demo) (?:with|w/)\b|(?:a|an|the|my)\s+(?:quick\s+|short\s+|"
                r"first\s+|onsite\s+|on-site\s+|in-person\s+|virtual\s+|product\s+|"
                r"technical\s+|tech\s+|final\s+|second\s+)?"
                r"(?:call|meeting|demo|site visit|visit|walk[- ]?through|tour|site tour|"
                r"lunch|coffee|presentation|workshop|zoom|intro)\b)")

# The hours of a clock said in words, in order ("half two", "quarter past nine").
HOUR_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
              "eleven", "twelve")

# Greetings in the languages reps write in ("bonjour", "namaste", "kia ora", "g'day"), as a
# pattern: alone they ask what the bot can do; before a message they are no part of it.
GREETING = (r"(?:hi+|hel+o+|hey+|hiya|howdy|yo|hola|greetings|sup|good (?:morning|afternoon|"
            r"evening|day)|morning|afternoon|evening|hey there|hi there|hello there|"
            r"bonjour|bonsoir|salut|coucou|ciao|buongiorno|buonasera|buenas(?: tardes)?|"
            r"buenos d[ií]as|ol[aá]|oi|hallo|guten (?:morgen|tag)|moin|servus|hej|hei|hoi|"
            r"goedemorgen|god morgon|god morgen|namaste|namaskar|vanakkam|salaam|salam|"
            r"as-?salaam(?:u)? alaikum|shalom|merhaba|konnichiwa|ni hao|n[ǐi] h[ǎa]o|"
            r"annyeong(?:haseyo)?|kia ora|g'?day|aloha|sawubona|habari|jambo|dzie[nń] dobry|ahoj|"
            r"zdravo|privet|selamat (?:pagi|siang|petang|malam)|happy new year|"
            r"godt nytt [aå]r|gott nytt [aå]r|merry (?:xmas|christmas)|feliz (?:a[nñ]o|navidad)|"
            r"frohes neues(?: jahr)?)")
