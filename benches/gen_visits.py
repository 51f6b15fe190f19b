#!/usr/bin/env python3
"""Synthetic visit series for the copy-forward (F4xx) benchmark (stdlib only).

    python3 benches/gen_visits.py --notes 100000 --clones 0.1 --seed 1 \
        --out visits-100k.jsonl --truth visits-100k.truth.jsonl

Writes a JSON Lines export (note_id, patient_id, date, author, text) of --notes
injection notes over notes/10 patients, 4-16 monthly visits each, and a truth
file with one {"note_id", "related_note_id"} line per planted clone.

Honest notes are composed from many independently chosen pieces: a clinic
layout (4 styles), the patient's own facts (drug regimen, family members and
their names, job, town, hobbies, pets, other conditions, home medicines,
doctors) and per-visit narrative sentences drawn from 91 sentence templates,
whose inline alternatives, 61 synonym sets and slots (filled from word lists,
qualifiers, time phrases and fresh numbers) give each one thousands of wordings.
Labels and a few stock phrases ("Tolerated well, no adverse reaction.") are
shared by many patients; narrative shingles are mostly in one patient or a few
(see benches/COPYFORWARD.md), and two honest visits of one patient are far from
near-duplicates (Jaccard of non-template shingles at most about 0.2).

A clone (--clones F: exactly round(F * notes) of the notes that are not a
patient's first visit, chosen by selection sampling) is the patient's previous
note with only the date of service, the time, the lot and its expiry changed.
Its related_note_id is that previous note.

Output order: patients are generated in chunks of --chunk patients; each
chunk's notes are written sorted by date (as an export of a group of clinics
for a period would be). Memory stays bounded by one chunk; the output streams.
Deterministic for a given --seed (and --chunk).
"""
import argparse
import datetime
import json
import random
import re
import sys
import time

# ---------------------------------------------------------------- word lists
FIRST_F = """Maria Linda Patricia Susan Deborah Barbara Karen Nancy Donna Sharon Carol Sandra Ruth Janet Diane
Gloria Teresa Rosa Ana Carmen Luz Marisol Yolanda Guadalupe Esperanza Dolores Alma Leticia Graciela Lucia Ines
Aisha Imani Keisha Tamika Latoya Ebony Shanice Jasmine Monique Denise Brenda Tonya Wanda Yvette Priya Anjali
Sunita Deepa Kavya Mei Lin Xiu Hana Yuki Akiko Mi-Rae Soo-Jin Thuy Linh Mai Nadia Fatima Leila Yasmin Amira Noor
Olga Irina Svetlana Katya Agnieszka Magda Ewa Ingrid Astrid Freya Siobhan Aoife Maeve Bridget Colleen Erin Kelly
Heather Amber Crystal Tiffany Brittany Ashley Megan Lauren Emily Hannah Abigail Madison Chloe Grace Olivia Sophia
Isabella Ava Mia Harper Evelyn Ella Scarlett Zoe Nora Lily Hazel Violet Aurora Stella Paisley Willow Ruby Ivy
Beatriz Renata Camila Valentina Ximena Paola Adriana Bianca Giulia Chiara Francesca Rosalind Edith Mildred Irene
Bernice Lorraine Marjorie Doreen Phyllis Judith Elaine Joan Marilyn Beverly Peggy Rita Joyce Gwen Hattie""".split()
FIRST_M = """James Robert John Michael David William Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony
Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob
Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick
Raymond Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Noah Ethan Jeremy Walter
Christian Keith Roger Terry Austin Sean Gerald Carl Harold Dylan Arthur Lawrence Jordan Jesse Bryan Billy Bruce
Gabriel Joe Logan Alan Juan Albert Willie Elijah Wayne Randy Vincent Mason Roy Ralph Bobby Russell Bradley Philip
Eugene Luis Carlos Miguel Jorge Alejandro Rafael Ernesto Hector Ramon Diego Mateo Santiago Emilio Arturo Julio
Darnell Tyrone DeShawn Malik Jamal Terrence Andre Marcus Reginald Cedric Rajesh Arjun Vikram Sanjay Anil Rahul
Wei Jian Hiroshi Kenji Takeshi Min-Jun Jae Duc Minh Tuan Omar Tariq Yusuf Karim Hassan Ahmed Dmitri Sergei
Ivan Pavel Tomasz Piotr Lars Erik Sven Declan Liam Cormac Finn Ronan Kieran Silas Ezra Jasper Felix Otis""".split()
LAST = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson
Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson
Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell
Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales
Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson
Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long
Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher
Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes
Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez
McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson
Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson
Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver
Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley
Knight Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews Alvarado Ray Delgado Berry Perkins
Hoffman Johnston Matthews Pena Richards Contreras Willis Carpenter Lawrence Sandoval Achebe Okafor Nwosu Adeyemi
Mensah Owusu Kowalczyk Nowak Wisniewski Novak Horvath Kovacs Lindqvist Johansson Nakamura Tanaka Yamamoto Park
Choi Huang Wu Zhang Liu Yang Pham Vu Hoang Shah Mehta Iyer Reddy Kapoor Haddad Khalil Nasser Farouk Brandt
Quintero Whitfield Ferrante Kwan Lindgren Abernathy Beaumont Castellano Delacroix Esposito Fitzgerald Galloway
Halvorsen Ingram Jablonski Kaminski Lombardi Mancini Novotny Oyelaran Petrakis Quarles Rasmussen Santangelo""".split()
CITIES = """Tucson Fresno Dayton Toledo Spokane Boise Eugene Salem Reno Provo Ogden Amarillo Lubbock Waco Laredo Tulsa
Wichita Topeka Omaha Lincoln Duluth Fargo Bismarck Billings Casper Pueblo Flagstaff Yuma Modesto Stockton Redding
Chico Medford Yakima Olympia Tacoma Everett Bellingham Missoula Helena Rapid-City Sioux-Falls Des-Moines
Davenport Peoria Joliet Rockford Gary Fort-Wayne Evansville Lansing Flint Kalamazoo Akron Canton Erie Scranton
Allentown Trenton Camden Albany Utica Syracuse Rochester Buffalo Worcester Lowell Springfield Hartford Providence
Portland Bangor Burlington Concord Manchester Richmond Norfolk Roanoke Durham Asheville Charleston Savannah
Macon Augusta Mobile Biloxi Jackson Shreveport Baton-Rouge Lafayette Little-Rock Memphis Knoxville Chattanooga
Lexington Louisville Huntsville Tallahassee Gainesville Orlando Tampa Sarasota Pensacola El-Paso San-Angelo
Albuquerque Santa-Fe Las-Cruces Bakersfield Oxnard Ventura Riverside Ontario Pomona Anaheim Escondido Oceanside""".split()
CITIES = [c.replace("-", " ") for c in CITIES]
JOBS = """bus driver|school cafeteria cook|hospital housekeeper|forklift operator|hair stylist|mail carrier|
security guard|bookkeeper|welder|home health aide|dental hygienist|high school math teacher|church secretary|
long-haul trucker|line cook|warehouse picker|daycare teacher|electrician|plumber|carpenter|roofer|landscaper|
grocery cashier|pharmacy technician|bank teller|real estate agent|insurance adjuster|auto mechanic|machinist|
seamstress|nail technician|barber|librarian|court clerk|paralegal|crossing guard|janitor|night auditor at a motel|
call center agent|Uber driver|delivery driver|farmworker|dairy farmer|orchard foreman|vineyard worker|
meat packer|baker|barista|bartender|waitress at a diner|hotel maid|casino dealer|prison guard|firefighter|
police dispatcher|EMT|substitute teacher|youth pastor|piano teacher|tax preparer|payroll clerk|HVAC technician|
painter|tile setter|cabinet maker|shipping clerk|lab technician|veterinary assistant|dog groomer|
nursing assistant at a care home|school bus monitor|construction flagger|crane operator|railroad conductor|
accountant|software tester|graphic designer|photographer|florist|tailor|cobbler|locksmith|upholsterer"""
JOBS = [j.strip() for j in JOBS.split("|")]
HOBBIES = """gardening|walking the dog|fishing at the reservoir|crocheting baby blankets|quilting|bowling on Tuesdays|
playing bingo at the church hall|watching baseball|woodworking in the garage|restoring an old pickup|
bird watching|line dancing|playing dominoes|cooking for the family|baking bread|doing jigsaw puzzles|
reading mysteries|singing in the choir|volunteering at the food bank|swimming at the Y|water aerobics|
riding a stationary bike|playing cards with neighbors|tending tomatoes|canning peaches|sewing costumes|
painting watercolors|playing guitar|fixing lawn mowers|hunting deer|camping|hiking the ridge trail|
golfing|pickleball|tai chi in the park|knitting|scrapbooking|collecting coins|building model trains|
playing chess online|gaming with the grandkids|raising chickens|beekeeping|keeping an aquarium|
feeding the ducks|listening to gospel radio|watching cooking shows|doing crosswords|sudoku|metal detecting|
going to yard sales|shooting pool|bowling with the league|making tamales|ballroom dancing|yoga at home"""
HOBBIES = [h.strip() for h in HOBBIES.split("|")]
PETS = ["dog", "puppy", "cat", "kitten", "parrot", "parakeet", "rabbit", "beagle", "chihuahua", "pit bull",
        "labrador", "german shepherd", "tabby", "goldfish", "horse", "goat", "dachshund", "poodle", "husky"]
PET_NAMES = """Buddy Max Bella Luna Daisy Charlie Rocky Lucy Coco Milo Bear Duke Sadie Molly Peanut Oreo Zeus
Ginger Pepper Biscuit Tank Rosie Princess Shadow Smokey Tiger Lola Chico Nala Gizmo Pumpkin Cookie Bandit
Sunny Maggie Toby Jack Roxy Sophie Bruno Hank Otis Penny Ziggy Mochi Waffles Noodle Pickles Bubba""".split()
RELATIONS_F = ["daughter", "sister", "mother", "wife", "granddaughter", "niece", "aunt", "daughter-in-law",
               "girlfriend", "cousin", "stepdaughter", "neighbor", "roommate", "best friend"]
RELATIONS_M = ["son", "brother", "father", "husband", "grandson", "nephew", "uncle", "son-in-law",
               "boyfriend", "cousin", "stepson", "neighbor", "roommate", "best friend"]
FAMILY_EVENTS = """just had a baby girl|is getting married in {month}|moved back in with {pron_obj} after a divorce|
started chemo for breast cancer|was deployed overseas|graduated from nursing school|broke an ankle skiing|
lost a job at the plant|is expecting twins|bought a house in {city}|had a heart attack in {month}|
is in rehab for alcohol|got out of the hospital last week|is moving to {city} next month|started college in {city}|
was in a car accident but is okay|had gallbladder surgery|is fighting for custody of the kids|
got a new job in {city}|passed away in {month}|retired from the post office|opened a taco truck|
joined the Army|had knee replacement surgery|was diagnosed with diabetes|is staying with {pron_obj} for a while|
had a stroke and needs help at home|came to visit from {city}|is graduating high school in {month}|
adopted a {pet}|started dialysis|is getting divorced|was laid off from the warehouse|got engaged at Christmas|
is learning to drive|won a bowling trophy|had a miscarriage|is struggling with depression|went back to school|
had a new grandbaby|is out of work with a back injury|moved into assisted living|started a landscaping business"""
FAMILY_EVENTS = [e.strip() for e in FAMILY_EVENTS.split("|")]
# Events that only fit a woman (for a female relative, or a male relative's partner: not used).
FEMALE_EVENTS = {"just had a baby girl", "is expecting twins", "had a miscarriage",
                 "started chemo for breast cancer"}
FAMILY_EVENTS_ANY = [e for e in FAMILY_EVENTS if e not in FEMALE_EVENTS]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SYMPTOMS = """headaches|low back pain|heartburn|trouble sleeping|night sweats|a dry cough|a runny nose|
ringing in the ears|dizziness when standing|numbness in the feet|tingling in the hands|leg cramps at night|
constipation|loose stools|nausea in the mornings|a poor appetite|sore knees|a stiff neck|shoulder pain|
swollen ankles|itchy skin|a rash on the forearm|hot flashes|mood swings|anxiety|feeling down|fatigue|brain fog|
palpitations|shortness of breath on stairs|wheezing|sinus pressure|a sore throat|earaches|blurry vision|
dry eyes|a toothache|bleeding gums|hip pain|foot pain|heel pain|a sprained wrist|a bruised shin|
restless legs|frequent urination|burning with urination|bloating|hiccups|chapped lips|hair thinning|
brittle nails|cold hands|a pulled muscle in the calf|jaw soreness|a cold sore|hives after shellfish|
a bad sunburn|poison ivy on both arms|muscle aches after yard work"""
SYMPTOMS = [s.strip() for s in SYMPTOMS.split("|")]
BODY_PARTS = ["left knee", "right knee", "lower back", "neck", "left shoulder", "right shoulder", "left hip",
              "right hip", "right wrist", "left ankle", "both feet", "upper back", "left elbow", "right thumb"]
COMORBID = """type 2 diabetes|hypertension|hyperlipidemia|GERD|hypothyroidism|asthma|COPD|obesity|sleep apnea|
osteoarthritis of the knees|chronic kidney disease stage 3|atrial fibrillation|heart failure|depression|
generalized anxiety|PTSD|migraine|gout|psoriasis|eczema|allergic rhinitis|iron deficiency|fibromyalgia|
chronic low back pain|peripheral neuropathy|glaucoma|cataracts|benign prostatic hyperplasia|overactive bladder|
irritable bowel syndrome|diverticulosis|fatty liver|hepatitis C treated|HIV on ART|sickle cell trait|
restless legs syndrome|plantar fasciitis|carpal tunnel|tinnitus|vertigo|prediabetes|anemia|insomnia"""
COMORBID = [c.strip() for c in COMORBID.split("|")]
ORAL_MEDS = """metformin 500 mg BID|metformin 1000 mg BID|lisinopril 10 mg daily|lisinopril 20 mg daily|
amlodipine 5 mg daily|amlodipine 10 mg daily|losartan 50 mg daily|atorvastatin 40 mg nightly|
rosuvastatin 10 mg daily|levothyroxine 75 mcg daily|levothyroxine 100 mcg daily|omeprazole 20 mg daily|
pantoprazole 40 mg daily|sertraline 50 mg daily|sertraline 100 mg daily|escitalopram 10 mg daily|
bupropion XL 150 mg daily|trazodone 50 mg at bedtime|gabapentin 300 mg TID|hydrochlorothiazide 25 mg daily|
furosemide 20 mg daily|carvedilol 12.5 mg BID|metoprolol succinate 50 mg daily|apixaban 5 mg BID|
aspirin 81 mg daily|cetirizine 10 mg daily|montelukast 10 mg nightly|allopurinol 300 mg daily|
tamsulosin 0.4 mg nightly|oxybutynin 5 mg daily|meloxicam 15 mg daily|naproxen 500 mg as needed|
cyclobenzaprine 10 mg at bedtime|buspirone 10 mg BID|hydroxyzine 25 mg as needed|glipizide 5 mg daily|
empagliflozin 10 mg daily|sitagliptin 100 mg daily|spironolactone 25 mg daily|folic acid 1 mg daily|
vitamin D3 2000 units daily|ferrous sulfate 325 mg daily|prednisone 10 mg daily|quetiapine 100 mg nightly|
lamotrigine 100 mg BID|topiramate 50 mg BID|propranolol 20 mg BID|clonidine 0.1 mg BID|famotidine 20 mg BID|
docusate 100 mg daily|melatonin 3 mg nightly|fluticasone nasal spray daily|albuterol inhaler as needed"""
ORAL_MEDS = [m.strip() for m in ORAL_MEDS.split("|")]
SIDE_EFFECTS = ["an upset stomach", "dizziness", "a cough", "leg swelling", "a rash", "drowsiness",
                "diarrhea", "muscle aches", "dry mouth", "weight gain", "vivid dreams", "headaches", "low sodium"]
ALLERGIES = ["NKDA", "NKDA", "NKDA", "penicillin (rash)", "sulfa (hives)", "codeine (nausea)", "latex",
             "shellfish", "amoxicillin (rash)", "morphine (itching)", "ibuprofen (swelling)", "bee stings",
             "cephalexin (hives)", "lisinopril (cough)", "tape (blisters)", "iodine contrast", "peanuts"]
PHARMACIES = ["Walgreens on Main", "the CVS by the mall", "Rite Aid downtown", "the Walmart pharmacy",
              "Costco pharmacy", "Kroger pharmacy", "a mail-order pharmacy", "the hospital outpatient pharmacy",
              "Safeway pharmacy", "the H-E-B on Route 9", "a small family pharmacy", "the VA pharmacy"]
QUESTIONS = """the shots could be given at home by a family member|it is safe to get the flu shot the same day|
there is a cheaper option through the manufacturer|the injection could be moved to a Saturday|
{pron_subj} could drink a glass of wine on weekends|the medicine interacts with {oral_med_name}|
{pron_subj} could switch arms every time|the dose could be lowered|{pron_subj} could skip a month while traveling|
the shot causes weight gain|there is a pill form instead|{pron_subj} needs labs before each dose|
the copay card still works this year|it is okay to exercise right after|the bruise from last time was normal|
{pron_subj} can travel by plane with the medicine|insurance will keep covering it after {month}|
a smaller needle could be used|{pron_poss} {rel1} could come into the room next time|
the injection could be given in the thigh instead|{pron_subj} should stop before dental work|
the medicine could affect {pron_poss} blood sugar|it would help with {symptom}|
{pron_subj} could get a letter for work about the appointments"""
QUESTIONS = [q.strip() for q in QUESTIONS.split("|")]
ED_TOPICS = """signs of infection at the injection site|when to call the clinic|keeping a symptom diary|
fall prevention at home|hydration in the heat|safe storage of medicines|the importance of not missing doses|
what to do about soreness afterward|how to use a cold pack|healthy snacks for energy|sleep hygiene|
a walking plan of 20 minutes a day|the patient portal for messages|how to read the appointment card|
when to go to urgent care|checking feet daily|using a pill organizer|the after-hours nurse line|
avoiding alcohol with the medicine|the reminder text messages"""
ED_TOPICS = [e.strip() for e in ED_TOPICS.split("|")]
SPECIALTIES = ["cardiology", "podiatry", "physical therapy", "behavioral health", "the eye doctor",
               "dermatology", "the sleep clinic", "nutrition", "social work", "orthopedics", "dental",
               "gastroenterology", "the pain clinic", "audiology", "the diabetes educator", "pulmonology"]
LABS = ["a CBC", "a BMP", "a lipid panel", "an A1c", "a TSH", "a B12 level", "a vitamin D level",
        "liver tests", "a urine drug screen", "an iron panel", "a CMP", "a magnesium level", "a pregnancy test"]
EXAM_FINDINGS = ["redness", "swelling", "induration", "bruising", "warmth", "a nodule", "drainage", "tenderness"]
WEATHER = ["the heat wave", "the ice storm", "all the rain", "the smoke from the fires", "the snow",
           "the wind last weekend", "the flooding on the east side", "the cold snap"]
PLACES = ["the lake", "Disneyland", "Las Vegas", "Mexico to see family", "the Grand Canyon", "a cousin's farm",
          "the coast", "Yellowstone", "a church retreat", "Nashville", "the Philippines", "Puerto Rico",
          "the Dominican Republic", "a wedding in Chicago", "a family reunion in Georgia", "Guatemala"]
TRAVEL_REASONS = ["see {pron_poss} {rel1}", "celebrate an anniversary", "help with a new baby",
                  "attend a funeral", "go fishing", "rest", "visit old friends", "see a ball game",
                  "look at retirement homes", "help {pron_poss} {rel2} move"]

# Drug regimens given about monthly: brand, generic, dose, route, sites, reason, ICD, checks, outcomes.
REGIMENS = [
    dict(brand="B12", generic="cyanocobalamin", dose="1000 mcg", conc="1000 mcg/mL", route="IM",
         sites=["deltoid"], reason="pernicious anemia", icd="D51.0",
         checks=["tingling in the feet", "memory trouble", "tongue soreness", "fatigue by afternoon"],
         outcomes=["energy is better", "the foot tingling has eased", "{pron_subj} is less winded walking",
                   "concentration at work has improved"]),
    dict(brand="B12", generic="cyanocobalamin", dose="1000 mcg", conc="1000 mcg/mL", route="IM",
         sites=["deltoid", "ventrogluteal"], reason="vitamin B12 deficiency after gastric bypass", icd="E53.8",
         checks=["numbness", "dizziness", "pale skin", "mouth sores"],
         outcomes=["{pron_subj} has more stamina", "the numbness is about the same",
                   "{pron_subj} feels less foggy"]),
    dict(brand="Depo-Testosterone", generic="testosterone cypionate", dose="200 mg", conc="200 mg/mL",
         route="IM", sites=["ventrogluteal", "vastus lateralis", "gluteal"], reason="male hypogonadism",
         icd="E29.1", checks=["acne", "breast tenderness", "snoring", "mood changes"],
         outcomes=["libido and energy are improved", "{pron_subj} is sleeping better",
                   "morning energy is back"]),
    dict(brand="Invega Sustenna", generic="paliperidone palmitate", dose="156 mg", conc="156 mg/mL",
         route="IM", sites=["deltoid", "gluteal"], reason="schizophrenia", icd="F20.9",
         checks=["stiffness", "restlessness", "tremor", "hearing voices"],
         outcomes=["the voices are quieter", "{pron_subj} is sleeping through the night",
                   "case manager reports {pron_subj} is keeping appointments"]),
    dict(brand="Haldol Decanoate", generic="haloperidol decanoate", dose="100 mg", conc="100 mg/mL",
         route="IM", sites=["gluteal", "deltoid"], reason="schizoaffective disorder", icd="F25.0",
         checks=["muscle stiffness", "drooling", "shuffling gait", "paranoia"],
         outcomes=["{pron_subj} has had no hospital stays", "group home staff say {pron_subj} is calmer"]),
    dict(brand="Vivitrol", generic="naltrexone ER", dose="380 mg", conc="380 mg vial",
         route="IM", sites=["gluteal"], reason="alcohol use disorder", icd="F10.20",
         checks=["cravings", "liver pain", "injection site lumps", "low mood"],
         outcomes=["{pron_subj} has been sober since {month}", "cravings are down",
                   "{pron_subj} is going to AA three times a week"]),
    dict(brand="Vivitrol", generic="naltrexone ER", dose="380 mg", conc="380 mg vial",
         route="IM", sites=["gluteal"], reason="opioid use disorder", icd="F11.20",
         checks=["cravings", "withdrawal symptoms", "site pain", "use since last dose"],
         outcomes=["urine screen negative last visit", "{pron_subj} has stayed off opioids",
                   "{pron_subj} is working with a peer recovery coach"]),
    dict(brand="Sublocade", generic="buprenorphine extended-release", dose="100 mg", conc="100 mg/0.5 mL",
         route="SC", sites=["abdomen"], reason="opioid use disorder", icd="F11.20",
         checks=["cravings", "constipation", "sedation", "site lump"],
         outcomes=["{pron_subj} has had no use", "{pron_subj} says the cravings are manageable"]),
    dict(brand="Xolair", generic="omalizumab", dose="300 mg", conc="150 mg/mL", route="SC",
         sites=["upper arm", "abdomen", "thigh"], reason="chronic spontaneous urticaria", icd="L50.1",
         checks=["hives", "swelling of the lips", "itching", "wheezing"],
         outcomes=["hives are down to a few a week", "{pron_subj} stopped needing the extra cetirizine"]),
    dict(brand="Xolair", generic="omalizumab", dose="150 mg", conc="150 mg/mL", route="SC",
         sites=["upper arm", "abdomen"], reason="severe allergic asthma", icd="J45.50",
         checks=["night cough", "rescue inhaler use", "chest tightness", "ER visits"],
         outcomes=["rescue inhaler use is down to twice a week", "no ER visits since starting"]),
    dict(brand="Ajovy", generic="fremanezumab", dose="225 mg", conc="225 mg/1.5 mL", route="SC",
         sites=["abdomen", "thigh", "upper arm"], reason="chronic migraine", icd="G43.709",
         checks=["headache days", "light sensitivity", "nausea with headaches", "triptan use"],
         outcomes=["migraine days are down to four a month", "{pron_subj} used sumatriptan only twice"]),
    dict(brand="Prolia", generic="denosumab", dose="60 mg", conc="60 mg/mL", route="SC",
         sites=["upper arm", "abdomen", "thigh"], reason="postmenopausal osteoporosis", icd="M81.0",
         checks=["jaw pain", "thigh pain", "falls", "dental work"],
         outcomes=["no new fractures", "{pron_subj} is taking calcium every day"]),
    dict(brand="Repatha", generic="evolocumab", dose="420 mg", conc="420 mg/3.5 mL", route="SC",
         sites=["abdomen", "thigh"], reason="familial hypercholesterolemia", icd="E78.01",
         checks=["muscle aches", "flu-like symptoms", "site redness", "chest pain"],
         outcomes=["LDL came down to the 70s", "{pron_subj} tolerates it better than the statin"]),
    dict(brand="Retacrit", generic="epoetin alfa-epbx", dose="10,000 units", conc="10,000 units/mL",
         route="SC", sites=["upper arm", "thigh", "abdomen"], reason="anemia in chronic kidney disease",
         icd="D63.1", checks=["headaches", "leg swelling", "shortness of breath", "blood pressure at home"],
         outcomes=["hemoglobin is up", "{pron_subj} has more energy for errands"]),
    dict(brand="Lupron Depot", generic="leuprolide acetate", dose="3.75 mg", conc="3.75 mg kit",
         route="IM", sites=["gluteal", "deltoid"], reason="endometriosis", icd="N80.0",
         checks=["pelvic pain", "hot flashes", "bone pain", "mood"],
         outcomes=["pelvic pain is much better", "{pron_subj} missed no work this month"]),
    dict(brand="Depo-Provera", generic="medroxyprogesterone acetate", dose="150 mg", conc="150 mg/mL",
         route="IM", sites=["deltoid", "gluteal"], reason="contraception", icd="Z30.42",
         checks=["spotting", "headaches", "weight change", "mood"],
         outcomes=["bleeding has settled", "{pron_subj} is happy with the method"]),
]
FEMALE_ONLY = {"postmenopausal osteoporosis", "endometriosis", "contraception"}
MALE_ONLY = {"male hypogonadism"}

CLINIC_WORDS_A = """Summit Harbor Valley Riverside Lakeside Eastside Westside Northgate Southpoint Mesa Cedar Pine Oak
Willow Sunrise Sunset Prairie Canyon Bayview Hillcrest Meadow Parkview Granite Redwood Sierra Coastal Heritage
Pioneer Liberty Unity Gateway Horizon Evergreen Magnolia Cypress Aspen Juniper Maple Birch Ridgeview""".split()
CLINIC_WORDS_B = ["Family Medicine", "Health Center", "Primary Care", "Community Clinic", "Internal Medicine",
                  "Recovery Services", "Behavioral Health", "Women's Health", "Medical Group", "Specialty Clinic",
                  "Infusion and Injection Center", "Wellness Clinic", "Nurse Clinic", "Health Partners"]
CREDS = ["RN", "RN", "LPN", "MA", "CMA", "LVN", "RN, BSN"]
DR_CREDS = ["MD", "DO", "NP", "PA-C"]

# Template text every clinic uses (labels and stock phrases: learned as template).
RESPONSES = ["Tolerated well, no adverse reaction.", "Patient tolerated the injection well.",
             "Observed 15 minutes, no reaction.", "No immediate reaction noted.",
             "Tolerated well. No redness or swelling at the site.", "Tolerated without difficulty."]
CONSENTS = ["Verbal consent obtained.", "Consent reviewed and signed.", "Patient consented verbally.",
            "Verbal and written consent."]
CHECKS_STOCK = ["Patient identified with name and date of birth.", "Right patient, drug, dose, route and time verified.",
                "Medication and expiration verified with a second nurse.", "Allergies reviewed.", ""]


def pick(rng, seq):
    return seq[int(rng.random() * len(seq))]


# Templates: "{slot}" is filled by SLOTS (once per sentence, so a slot used twice agrees),
# "[a|b|]" picks one alternative at random (empty allowed); alternatives may hold slots.
_TOKEN = re.compile(r"\{(\w+)\}|\[([^\[\]]*)\]")


# Wording that varies from note to note: each of these words or phrases in a template's literal
# text becomes a random choice among its variants (as a clinician's own phrasing would).
SYNONYMS = """reports: reports|says|mentions|notes|states|tells us|relates
says: says|reports|states|mentions|notes|tells staff
states: states|says|reports|notes
mentions: mentions|brings up|notes|says
has had: has had|has been having|dealt with|noticed
has been: has been|is|was|had been
since the last: since the last|since the previous|since {pron_poss} last|after the last
visit: visit|appointment|clinic visit|nurse visit
worse: worse|harder|more bothersome
better: better|improved|easier|less bothersome
mild: mild|slight|minor|a bit of|light
some: some|a little|occasional|intermittent
wants to: wants to|would like to|hopes to|plans to|prefers to
wanted to know: wanted to know|asked|wondered|was curious
asked: asked|inquired|wanted to know|asked us
reviewed: reviewed|went over|discussed|talked through|covered
worried: worried|concerned|anxious|upset
tired: tired|worn out|exhausted|run down|drained
small: small|little|faint|tiny|minor
because of: because of|due to|from|on account of|with
mostly: mostly|usually|generally|often|typically
now: now|at this point|currently|lately
will: will|plans to|is going to|intends to
given: given|handed|provided|offered
called: called|phoned|rang
stopped: stopped|quit|discontinued|came off
started: started|began|got started on
cut back to: cut back to|dropped to|went down to|switched to
part time: part time|part-time hours|fewer hours|three days a week|half days
sleeping only: sleeping only|getting only|sleeping just|managing only
a night: a night|per night|nightly|each night
steps a day: steps a day|steps daily|steps most days|steps per day
had a question about: had a question about|was unsure|asked us|wondered
healing: healing|fading|yellowing|resolving
bruise: bruise|ecchymosis|bruised area|mark
skin at: skin at|skin over|the skin of|skin on
planned site: planned site|injection site|chosen site|site today
last refill: last refill|most recent refill|latest fill|last fill
order placed: order placed|order entered|ordered|lab order in
keep going with: keep going with|stay on|continue|stick with
next dose: next dose|next injection|next shot|following dose
return in: return in|come back in|RTC|back in
for the past: for the past|for about|over the last|for
stressful: stressful|hard|difficult|a strain|upsetting
okay: okay|fine|alright|all right
lives with: lives with|stays with|shares a home with|is living with
enjoys: enjoys|likes|loves|looks forward to
lately: lately|recently|these days|this month
because: because|since|as
missed: missed|lost|had to skip|called out for
drove: drove|brought|gave a ride to
plans: plans|is planning|hopes|intends
just got back from: just got back from|recently returned from|came back from|is back from
encouraged: encouraged|urged|reminded|advised
follow up with: follow up with|see|recheck with|visit with
recheck: recheck|repeat|redo|check
continue: continue|keep taking|stay on|remain on
call sooner if: call sooner if|call if|return sooner if|phone the clinic if
returns: returns|comes back|recurs
appointment: appointment|visit|slot
scheduled: scheduled|booked|set up|made"""
SYNONYMS = dict((k.strip(), [x.strip() for x in v.split("|")])
                for k, v in (line.split(":", 1) for line in SYNONYMS.splitlines()))
_SYN_RE = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(SYNONYMS, key=len, reverse=True)) + r")\b",
                     re.IGNORECASE)


def _literal(text, parts):
    """Literal template text, with SYNONYMS turned into choices."""
    pos = 0
    for m in _SYN_RE.finditer(text):
        word = m.group(1)
        variants = SYNONYMS[word.lower()]
        if word[0].isupper():
            variants = [x[0].upper() + x[1:] for x in variants]
        if m.start() > pos:
            parts.append(text[pos:m.start()])
        parts.append((1, [compile_t(x, False) for x in variants]))
        pos = m.end()
    if pos < len(text):
        parts.append(text[pos:])


def compile_t(t, synonyms=True):
    parts, pos = [], 0
    for m in _TOKEN.finditer(t):
        if m.start() > pos:
            _literal(t[pos:m.start()], parts) if synonyms else parts.append(t[pos:m.start()])
        if m.group(1):
            parts.append((0, m.group(1)))
        else:
            parts.append((1, [compile_t(x, synonyms) for x in m.group(2).split("|")]))
        pos = m.end()
    if pos < len(t):
        _literal(t[pos:], parts) if synonyms else parts.append(t[pos:])
    return parts


def fill(parts, r, p, v, cache):
    out = []
    for x in parts:
        if type(x) is str:
            out.append(x)
        elif x[0] == 0:
            val = cache.get(x[1])
            if val is None:
                val = cache[x[1]] = SLOTS[x[1]](r, p, v)
            out.append(val)
        else:
            out.append(fill(pick(r, x[1]), r, p, v, cache))
    return "".join(out)


def sub(r, p, v, pool):
    """A nested template from `pool` (compiled), filled."""
    return fill(pick(r, pool), r, p, v, {})


def _rel(p, i):
    fam = p["family"]
    return fam[i % len(fam)]


def _relx(r, p, v):
    x = v.get("relx")
    if x is None:
        x = v["relx"] = pick(r, p["family"])
    return x


def _check(r, p, v):
    x = v.get("check")
    if x is None:
        x = v["check"] = pick(r, p["regimen"]["checks"])
    return x


def _event(r, p, v, member):
    e = sub(r, p, v, FAMILY_EVENTS_C if member[2] else FAMILY_EVENTS_ANY_C)
    if r.random() < 0.6:
        e += " " + sub(r, p, v, WHEN_C)
    return e


# Qualifiers and time phrases that make a mention of a symptom or a pastime specific.
QUALIFIERS = """mild|occasional|new|worsening|sharp|dull|nagging|on-and-off|constant|intermittent|some|bad|
annoying|slight|recurring|severe at times|low-grade|stubborn|bothersome|vague|brief|odd|steady|lingering"""
QUALIFIERS = [q.strip() for q in QUALIFIERS.split("|")]
WHEN = """since {weekday}|since {weather}|after {relxname}'s visit|over the holiday|since early {month}|
around the time {pron_poss} {relx} moved in|after the long drive from {city}|since the {drug} dose before last|
at work|on the way home from {city}|after church on Sunday|while {anyhobby}|since {pron_subj} changed shifts|
while staying with {relxname}|during the trip to {place}|when the weather turned|after the last storm|
since moving to {home}|at night mostly|after meals|at the end of the day|first thing in the morning|
while watching {pron_poss} {relx}'s kids|after walking {petname}|since {month}|on and off since {weekday}"""
WHEN_C = [compile_t(w.strip(), False) for w in WHEN.split("|")]


def _symptom(r, p, v):
    x = pick(r, SYMPTOMS)
    if r.random() < 0.6:
        q = pick(r, QUALIFIERS)
        if x.startswith(("a ", "an ")):
            art = "an" if q[0] in "aeiou" else "a"
            x = f"{art} {q} {x.split(' ', 1)[1]}"
        else:
            x = f"{q} {x}"
    if r.random() < 0.4:
        x += " " + sub(r, p, v, WHEN_C)
    return x


HOBBY_TAILS = """with {relxname}|at the park by {pron_poss} house|in {home}|on weekends|with friends from church|
after work|most mornings|with {pron_poss} {pet} {petname}|at the community center|with the neighbors|
in the backyard|when {pron_poss} {body} allows|since {month}|with a group from {city}"""
HOBBY_TAILS_C = [compile_t(w.strip(), False) for w in HOBBY_TAILS.split("|")]


def _hobby(r, p, v, h):
    if r.random() < 0.5:
        h += " " + sub(r, p, v, HOBBY_TAILS_C)
    return h


FAMILY_EVENTS_C = [compile_t(e, False) for e in FAMILY_EVENTS]
FAMILY_EVENTS_ANY_C = [compile_t(e, False) for e in FAMILY_EVENTS_ANY]
QUESTIONS_C = [compile_t(q, False) for q in QUESTIONS]
TRAVEL_REASONS_C = [compile_t(t, False) for t in TRAVEL_REASONS]

SLOTS = {
    "pron_subj": lambda r, p, v: p["he"],
    "Pron": lambda r, p, v: p["He"],
    "pron_obj": lambda r, p, v: p["him"],
    "pron_poss": lambda r, p, v: p["his"],
    "Pron_poss": lambda r, p, v: p["His"],
    "Who": lambda r, p, v: pick(r, (p["He"], p["He"], "Pt", "Patient", p["first"])),
    "first": lambda r, p, v: p["first"],
    "last": lambda r, p, v: p["last"],
    "rel1": lambda r, p, v: _rel(p, 0)[0],
    "rel1name": lambda r, p, v: _rel(p, 0)[1],
    "rel2": lambda r, p, v: _rel(p, 1)[0],
    "rel2name": lambda r, p, v: _rel(p, 1)[1],
    "relx": lambda r, p, v: _relx(r, p, v)[0],
    "relxname": lambda r, p, v: _relx(r, p, v)[1],
    "job": lambda r, p, v: p["job"],
    "city": lambda r, p, v: pick(r, CITIES),
    "home": lambda r, p, v: p["city"],
    "hobby": lambda r, p, v: _hobby(r, p, v, pick(r, p["hobbies"])),
    "anyhobby": lambda r, p, v: _hobby(r, p, v, pick(r, HOBBIES)),
    "pet": lambda r, p, v: p["pet"][0],
    "petname": lambda r, p, v: p["pet"][1],
    "month": lambda r, p, v: pick(r, MONTHS),
    "weekday": lambda r, p, v: pick(r, WEEKDAYS),
    "symptom": lambda r, p, v: _symptom(r, p, v),
    "symptom2": lambda r, p, v: _symptom(r, p, v),
    "symptom3": lambda r, p, v: pick(r, SYMPTOMS),
    "body": lambda r, p, v: pick(r, BODY_PARTS),
    "n": lambda r, p, v: str(r.randint(2, 14)),
    "pain": lambda r, p, v: str(r.randint(1, 8)),
    "ev1": lambda r, p, v: _event(r, p, v, _rel(p, 0)),
    "ev2": lambda r, p, v: _event(r, p, v, _rel(p, 1)),
    "evx": lambda r, p, v: _event(r, p, v, _relx(r, p, v)),
    "comorbid": lambda r, p, v: pick(r, p["comorbid"]),
    "anycomorbid": lambda r, p, v: pick(r, COMORBID),
    "oral_med": lambda r, p, v: pick(r, ORAL_MEDS),
    "oral_med_name": lambda r, p, v: pick(r, p["meds"]).split()[0],
    "home_med": lambda r, p, v: pick(r, p["meds"]),
    "side_effect": lambda r, p, v: pick(r, SIDE_EFFECTS),
    "pharmacy": lambda r, p, v: p["pharmacy"],
    "question": lambda r, p, v: sub(r, p, v, QUESTIONS_C),
    "ed": lambda r, p, v: pick(r, ED_TOPICS),
    "specialty": lambda r, p, v: pick(r, SPECIALTIES),
    "lab": lambda r, p, v: pick(r, LABS),
    "finding": lambda r, p, v: pick(r, EXAM_FINDINGS),
    "weather": lambda r, p, v: pick(r, WEATHER),
    "place": lambda r, p, v: pick(r, PLACES),
    "travel_reason": lambda r, p, v: sub(r, p, v, TRAVEL_REASONS_C),
    "check": _check,
    "check2": lambda r, p, v: pick(r, [c for c in p["regimen"]["checks"] if c != _check(r, p, v)]),
    "outcome": lambda r, p, v: sub(r, p, v, p["regimen"]["outcomes_c"]),
    "drug": lambda r, p, v: p["regimen"]["brand"],
    "generic": lambda r, p, v: p["regimen"]["generic"],
    "reason": lambda r, p, v: p["regimen"]["reason"],
    "doctor": lambda r, p, v: p["doctor"],
    "other_doctor": lambda r, p, v: pick(r, p["clinic"]["doctors"]),
    "weight": lambda r, p, v: str(p["weight"] + r.randint(-6, 6)),
    "steps": lambda r, p, v: str(r.randint(2, 9) * 1000),
    "hours": lambda r, p, v: str(r.randint(3, 10)),
    "visit_no": lambda r, p, v: str(v["visit_no"]),
    "allergy": lambda r, p, v: p["allergy"],
    "nurse": lambda r, p, v: v["nurse"][0],
}
for _reg in REGIMENS:
    _reg["outcomes_c"] = [compile_t(o, False) for o in _reg["outcomes"]]

# Narrative sentence templates, by family. Each slot and alternative is chosen on its own, so
# the same template rarely gives the same five-word run twice.
SENTENCES = {
    "interval": """{Who} [reports|says|mentions|c/o|complains of] {symptom} [for the past|for about|over the last|x] {n} [days|weeks], [worse at night|worse in the morning|a little better with rest|not helped by Tylenol|better with ibuprofen|mostly after meals|when {pron_subj} is on {pron_poss} feet].
Since the last [visit|shot|injection|dose] {pron_subj} has [had|noticed|been bothered by] {symptom} [on and off|most days|a few times|now and then], [and|but] {symptom2} [is gone|has eased|is about the same|is new].
[Complains of|Reports|Has] {symptom} after {anyhobby} [on {weekday}|last weekend|this week]; [ice|heat|rest|a heating pad|Tylenol|a hot bath] [helps|helped|did not help much].
Has had {symptom} since {weekday} and [thinks|wonders if|is sure] it [started|got worse] [after|with|during] {weather}.
[Denies|No|Negative for] {symptom}, {symptom2} [or|and] {symptom3}[.|; otherwise {pron_subj} feels okay.|; otherwise {pron_subj} feels well.|; otherwise at baseline.]
{Who} rates {pron_poss} {body} pain {pain}/10 [today|this morning|at rest], [about the same as|better than|worse than|similar to] [last month|the last visit|in {month}].
{Pron_poss} {body} has been [aching|sore|stiff|throbbing] since {pron_subj} [helped {pron_poss} {relx} move furniture|slipped on the porch steps|lifted a box of {pron_poss} {relx}'s things|spent the day {anyhobby}].
No {check} since the last dose, [though|but|although] {symptom} [comes and goes|is bothering {pron_obj}|keeps {pron_obj} up some nights].
[Reports|Says {pron_subj} had|Noted] {check} [about|maybe|roughly] {n} times this month, [fewer than before|more than last month|about the same as usual].
[Mentions|Describes|Reports] [mild|brief|some] {check} [the week|the few days|a day or two|right] after the last [shot|dose|injection] that [settled|went away|cleared] [by itself|with rest|in a day or two].
[Woke up with|Developed|Came down with] {symptom} [{n} days ago|on {weekday}|this week|over the weekend][; no fever|; no fever, no recent travel|, no sick contacts|; {pron_poss} {relx} has the same].
[Says|Reports|States] {pron_subj} has been sleeping only {hours} hours a night [because of|due to|with] {symptom}[ and worry about {pron_poss} {relx}|| and the new shift].
[States|Says] {pron_poss} {symptom} got worse [during|with|after] {weather} and is [easing|settling|better] now.
{Who} had a [cold|stomach bug|flu-like illness|sinus infection] [with {symptom}|and {symptom}|plus {symptom}] [last week|over the holiday|in {month}] and is [mostly over it|better now|still recovering].
Went to [urgent care|the ER|a walk-in clinic|telehealth] on {weekday} for {symptom} and was [told it was viral|given {oral_med}|sent home with rest and fluids].
Noticed {symptom} after starting {oral_med}; [plans to ask|will ask|already called] {doctor} [about it|to change it|about a lower dose].
Walking about {steps} steps a day [per {pron_poss} phone|with {pron_poss} {pet} {petname}|around {home}]; {symptom} [slows {pron_obj} down|gets in the way|bothers {pron_obj}] some days.
Fell [in the driveway|in the kitchen|on the bus steps|at {pron_poss} {relx}'s house] on {weekday} and [bruised|scraped|twisted] {pron_poss} {body}; [no head strike|did not hit {pron_poss} head|did not seek care].
{Pron} notices the {check} mostly [in the mornings|at night|after work|on weekends], [easing|settling|better] by [lunch|evening|the next day].
Has not had any {check} since {month}[, and {symptom} is better too|; {symptom} is the main complaint now|].""",
    "family": """{Pron_poss} {rel1} {rel1name} {ev1}[.|, {pron_subj} says.|, so {pron_subj} has been busy.]
{Pron_poss} {rel2} {rel2name} {ev2}[; {pron_subj} is coping.|.|, which {pron_subj} talked about today.]
{Pron} is [helping care for|checking on|driving] {pron_poss} {relx} {relxname}, who {evx}.
Came in [today|this morning|this afternoon] with {pron_poss} {relx} {relxname}, who [drove {pron_obj} from {home}|waited in the lobby|helped with the paperwork].
{Pron} [mentions|tells us|shares] that {rel1name} ({pron_poss} {rel1}) {ev1}, which has been [stressful|hard|a lot to handle|good news].
Stress at home is [up|high|better] because {pron_poss} {relx} {evx}.
{Pron} is [proud|relieved|happy] that {pron_poss} {relx} {relxname} {evx}.
Lives with {pron_poss} {rel1} {rel1name} in {home}; {rel2name} [stops by|visits|calls] [on weekends|most evenings|every {weekday}].
{rel1name}, {pron_poss} {rel1}, will [bring|drive] {pron_obj} [to the next visit|next month] because [the car is in the shop|{pron_subj} cannot drive after {pron_poss} eye exam|the bus route changed].
Spent [the holiday|last weekend|a week] with {pron_poss} {relx} {relxname} in {city} and [ate more than usual|walked a lot|slept poorly].
{Pron_poss} {pet} {petname} [had surgery|got sick|ran away and came back|had puppies] [last month|in {month}|on {weekday}] and {pron_subj} [has been up at night|is tired|is worried].
Walks {pron_poss} {pet} {petname} [twice a day|every morning|after dinner] [around the block|at the park|along the canal].
Worried about {pron_poss} {relx} {relxname}, who {evx}.""",
    "work": """Still working as a {job}, [now on the night shift|now full time|picking up extra hours|on a new schedule], which [makes {pron_obj} tired|is hard on {pron_poss} {body}|helps with the bills].
Works as a {job} and [was able to get|had to trade shifts to get|took unpaid leave for] the [morning|afternoon|day] off for this visit.
{Pron} cut back to part time as a {job} because of {symptom}.
Retired {job}; [keeps busy with|spends most days|enjoys] {hobby}[ with {pron_poss} {relx} {relxname}|].
Has been {hobby} [most days|on weekends|every evening|when {pron_poss} {body} allows] and [enjoys it|says it helps {pron_poss} mood|lost a few pounds].
{Pron} took up {anyhobby} with {pron_poss} {relx} {relxname} [this month|in {month}|after the holidays].
Missed {n} [days|shifts] [of work|at {pron_poss} job|on the job] [as a {job}|at the {job} job|] [this month|since the last visit] because of {symptom}.
Plans a trip to {place} [in {month}|next month|after the next dose] to {travel_reason}.
Just got back from {place}, where {pron_subj} went to {travel_reason}.
[Money is tight|Bills are a worry|Finances are strained] [since|now that|after] {pron_poss} {relx} {relxname} {evx}; [social work number given|referred to the financial counselor|gave the copay assistance form].
Gave up {hobby} for now because of {pron_poss} {body}[ and {symptom}|].""",
    "question": """[Asked|Asks] whether {question}.
{Pron} wanted to know if {question}.
Asked again whether {question}; [explained|reviewed the answer|answered] and {pron_subj} verbalized understanding.
{rel1name} [asked|called to ask] [on the phone|through the portal|at check-in] whether {question}.
Had a question about whether {question}; will check with {doctor}.""",
    "meds": """{other_doctor} [started|prescribed|added] {oral_med} for {anycomorbid} in {month}.
[Stopped|Quit taking|Cut back on] {home_med} because of {side_effect}; {doctor} is [aware|informed|to review].
Takes {home_med} for {comorbid} and says {pron_subj} [rarely|never|sometimes] misses it.
Picks up {pron_poss} [medicines|refills|prescriptions] at {pharmacy}; the last refill was [late|on time|short by a week].
Med list reviewed[ with {pron_obj}| with {pron_poss} {relx}|]: {home_med}, {oral_med}.
[Ran out of|Was without|Went without] {home_med} [for {n} days|for a week|over the weekend] [when|after|because] [the pharmacy changed hours|insurance lapsed|{pron_subj} was out of town].
Was given {oral_med} at [urgent care|the ER|the dentist] for {symptom} and [finished it|still has some left|stopped it early].
Allergies reviewed: {allergy}[; no new ones|].
{Pron_poss} {comorbid} is followed by {other_doctor}; last [visit|appointment] in {month}.
[Checks|Tracks|Takes] [blood pressure|BP|{pron_poss} pressure] at [the|a] [{pharmacy} kiosk|kiosk at {pharmacy}|home with {relxname}]; [numbers were good|readings were high twice|has not checked lately] per {pron_obj}.""",
    "drug": """Since the last {drug} dose {outcome}.
{Pron} feels the {drug} is [working|helping|worth it]: {outcome}.
Per {pron_obj}, {outcome}, and {pron_subj} wants to [keep going with|continue] {generic}.
Asked about {check} and {check2}: [none|denies both|neither].
Screened for {check} and {check2}; [reports mild {check} only|none today|some {check2} last week].
This is {drug} #{visit_no} for {pron_obj}[ since {month}|].
Not sure the {drug} helps yet; {outcome} but {check} [persists|is unchanged|comes and goes].""",
    "exam": """Previous site [in the|on the] {body} [is healed|looks fine|has faded], no {finding}.
Skin at the planned site [intact|clean and dry|normal], no {finding} or [scarring|lumps|rash].
Weight {weight} lb today, [stable|down a little|up {n} lb].
[Looks well|Pleasant|Alert and oriented], [in no distress|chatting with {nurse}|walked in with a steady gait].
Appears [tired|anxious|cheerful] but alert; [speech clear|answers appropriately|came in on time].
Small healing bruise on the {body}[, from the fall|, from yard work|], no {finding}.
Mood [bright|good|okay], [joking with staff about|talking about] {hobby}.""",
    "plan": """Next dose due in [4 weeks|a month|28 days]; [appointment made for|scheduled on|booked] a {weekday} [morning|afternoon].
Return in {n} weeks [for {drug}|for the next {drug}|for dose #{visit_no}|for the next injection]; [reminder card given|text reminder set|{rel1name} will bring {pron_obj}].
{doctor} wants {lab} before the next dose; [order placed|lab slip given|will draw next visit].
Referred to {specialty}; appointment in {month}.
Will [message|call|update] {doctor} about {symptom} [today|this week].
Reviewed {ed} with {pron_obj}[ and {pron_poss} {relx}|].
Reviewed {ed}; {pron_subj} [repeated it back|had no questions|took the handout].
Follow up with {other_doctor} in {month} for {comorbid}.
Continue {home_med}; recheck {lab} in {month}.
Encouraged {pron_obj} to keep {hobby} [a few times a week|daily|when able].
Call sooner if {check} [returns|gets worse] or {symptom} [worsens|does not improve].""",
    "life": """{Pron} [fixed|painted|cleaned out|repaired|organized] the [fence|porch|garage|kitchen cabinets|back steps|shed|basement] [with|for] {pron_poss} {relx} {relxname} [over the weekend|on {weekday}|in {month}].
[Made|Cooked|Brought] [tamales|pho|gumbo|lasagna|biryani|pierogi|jollof rice|collard greens|empanadas|chili|pozole|a pound cake] for {relxname}'s [birthday|baby shower|retirement party|graduation|church supper|wedding].
[Volunteers|Helps out|Serves] at [the food bank|St. Mary's|the senior center|the animal shelter|the school library|a soup kitchen|the VFW hall] [on {weekday}s|twice a month|every {weekday}][ with {relxname}|].
[Started|Joined|Quit] a [walking group|bible study|grief group|GED class|English class|bowling league|quilting circle|gym] [at|near|in] {home} [in {month}|last month|this spring].
[Lost|Broke|Replaced] {pron_poss} [glasses|hearing aid|dentures|phone|cane|walker] [on {weekday}|last week|in {month}] and [is waiting on a new one|{relxname} is helping|got it fixed].
[Got|Bought|Was given] a [used car|new mattress|recliner|tablet|space heater|air conditioner|bike] [from|through|with help from] {pron_poss} {relx} {relxname}.
The [landlord|building manager|city|power company] [raised the rent|shut off the heat|is fixing the roof|sent a notice] [in {month}|last week|on {weekday}]; {relxname} [is helping|may take {pron_obj} in|called legal aid].""",
}
SENTENCES = {k: [compile_t(s.strip()) for s in v.splitlines() if s.strip()] for k, v in SENTENCES.items()}


def make_clinic(rng, i):
    name = f"{pick(rng, CLINIC_WORDS_A)} {pick(rng, CLINIC_WORDS_B)}"
    nurses = []
    for _ in range(rng.randint(4, 9)):
        sex = rng.random() < 0.8
        nurses.append((pick(rng, FIRST_F if sex else FIRST_M), pick(rng, LAST), pick(rng, CREDS)))
    doctors = []
    for _ in range(rng.randint(3, 7)):
        f = pick(rng, FIRST_F if rng.random() < 0.5 else FIRST_M)
        doctors.append(f"Dr. {f} {pick(rng, LAST)}")
    return dict(name=name, nurses=nurses, doctors=doctors, style=rng.randint(0, 3),
                datefmt=rng.randint(0, 3), site_fmt=rng.randint(0, 2))


def make_patient(rng, pid, clinic, start):
    female = rng.random() < 0.55
    while True:
        reg = pick(rng, REGIMENS)
        if not ((female and reg["reason"] in MALE_ONLY) or (not female and reg["reason"] in FEMALE_ONLY)):
            break
    fam = []
    for _ in range(rng.randint(2, 4)):
        if rng.random() < 0.5:
            fam.append((pick(rng, RELATIONS_F), pick(rng, FIRST_F), True))
        else:
            fam.append((pick(rng, RELATIONS_M), pick(rng, FIRST_M), False))
    hobbies = rng.sample(HOBBIES, 2)
    return dict(
        pid=pid, female=female, first=pick(rng, FIRST_F if female else FIRST_M), last=pick(rng, LAST),
        age=rng.randint(19, 88) if reg["reason"] not in ("contraception", "endometriosis") else rng.randint(17, 45),
        he="she" if female else "he", He="She" if female else "He", him="her" if female else "him",
        his="her" if female else "his", His="Her" if female else "His",
        regimen=reg, clinic=clinic, doctor=pick(rng, clinic["doctors"]), family=fam,
        job=pick(rng, JOBS), city=pick(rng, CITIES), hobbies=hobbies,
        pet=(pick(rng, PETS), pick(rng, PET_NAMES)), comorbid=rng.sample(COMORBID, rng.randint(1, 3)),
        meds=rng.sample(ORAL_MEDS, rng.randint(1, 4)), allergy=pick(rng, ALLERGIES),
        pharmacy=pick(rng, PHARMACIES), weight=rng.randint(110, 260), start=start,
        site=pick(rng, reg["sites"]),
    )


def fmt_date(d, style):
    if style == 0:
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if style == 1:
        return f"{d.month}/{d.day}/{d.year % 100:02d}"
    if style == 2:
        return d.isoformat()
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


LOT_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def lot(rng):
    c = LOT_CHARS
    return f"{pick(rng, c)}{pick(rng, c)}{rng.randint(100, 9999)}{pick(rng, c)}"


def sentences(rng, p, v, family, k):
    pool = SENTENCES[family]
    out = []
    for t in rng.sample(pool, min(k, len(pool))):
        s = fill(t, rng, p, v, {})
        out.append(s[0].upper() + s[1:])
    return out


def narrative(rng, p, v):
    """Per-visit narrative: 2-4 sentences from independently chosen families."""
    fams = ["interval", "family", "work", "question", "meds", "drug", "exam", "life"]
    weights = [3, 2, 2, 1, 2, 2, 1, 2]
    chosen = rng.choices(fams, weights, k=pick(rng, (2, 2, 3, 3, 3)))
    out = []
    for f in chosen:
        out.extend(sentences(rng, p, v, f, 1))
    # a sentence can repeat when a family is drawn twice: keep the first
    seen = set()
    return [s for s in out if not (s in seen or seen.add(s))]


def vitals(rng, p, style):
    bp = f"{rng.randint(104, 158)}/{rng.randint(62, 94)}"
    hr = rng.randint(56, 104)
    t = f"{rng.randint(970, 993) / 10:.1f}"
    if style == 0:
        return f"BP {bp}, HR {hr}, T {t}."
    if style == 1:
        return f"Vitals: BP {bp} HR {hr} Temp {t} Wt {p['weight'] + rng.randint(-6, 6)} lb."
    return f"BP {bp}, pulse {hr}, afebrile."


def site_text(rng, p, v, fmt):
    side = v["side"]
    s = p["site"]
    if fmt == 0:
        return f"{side} {s}"
    if fmt == 1:
        return f"{side[0].upper()} {s}"
    return f"{s}, {side}"


def compose(rng, p, v):
    """One honest note as a skeleton with @D@ (date), @T@ (time), @L@ (lot), @E@ (expiry)."""
    c = p["clinic"]
    reg = p["regimen"]
    nurse = v["nurse"]
    sig = f"{nurse[0]} {nurse[1]}, {nurse[2]}" if rng.random() < 0.7 else f"{nurse[0][0]}. {nurse[1]}, {nurse[2]}"
    site = site_text(rng, p, v, c["site_fmt"])
    narr = narrative(rng, p, v)
    plan = sentences(rng, p, v, "plan", 1 if rng.random() < 0.8 else 2)
    resp = pick(rng, RESPONSES)
    consent = pick(rng, CONSENTS)
    stock = pick(rng, CHECKS_STOCK)
    intro_age = f"{p['age']} y/o {'F' if p['female'] else 'M'}"
    intros = [
        f"Pt is a {intro_age} on {reg['brand']} for {reg['reason']} ({reg['icd']}), dose #{v['visit_no']} today.",
        f"{p['first']} {p['last']}, {intro_age}, in for {p['his']} {reg['brand']} injection for {reg['reason']}.",
        f"{p['first']} is here for {p['his']} monthly {reg['generic']} ({reg['reason']}, {reg['icd']}).",
        f"Nurse visit for {reg['brand']} ({reg['reason']}).",
    ]
    intro = pick(rng, intros) if rng.random() < 0.6 else intros[3]
    admin = pick(rng, [
        f"{reg['generic'].capitalize()} ({reg['brand']}) {reg['dose']} {reg['route']} given in the {site}, "
        f"ordered by {p['doctor']}.",
        f"Gave {reg['brand']} {reg['dose']} {reg['route']} to the {site} per {p['doctor']}.",
        f"{reg['brand']} {reg['dose']} ({reg['conc']}) administered {reg['route']}, {site}, "
        f"order of {p['doctor']}.",
    ])
    style = c["style"]
    if style == 0:
        lines = [f"{reg['brand']} injection visit - {c['name']}", "Date of service @D@, @T@", "",
                 intro + " " + " ".join(narr), vitals(rng, p, rng.randint(0, 2)), "",
                 f"{admin} Lot @L@ exp @E@. {consent}", "Plan: " + " ".join(plan), resp, sig]
    elif style == 1:
        lines = [f"NURSE VISIT - {c['name'].upper()}", "@D@ @T@",
                 f"Reason: {reg['reason']} ({reg['icd']})",
                 "S: " + " ".join(narr), "O: " + vitals(rng, p, 1),
                 f"Medication: {reg['generic']} ({reg['brand']}) {reg['dose']}",
                 f"Route: {reg['route']}", f"Site: {site}", "Lot: @L@  Exp: @E@",
                 f"Ordered by: {p['doctor']}", f"Consent: {consent}", f"Response: {resp}",
                 "Plan: " + " ".join(plan), sig]
    elif style == 2:
        lines = [f"@D@ @T@ {c['name']} - injection", intro, " ".join(narr),
                 f"{admin} Lot @L@, exp @E@. {stock} {consent} {resp}".replace("  ", " "),
                 " ".join(plan), f"-{sig}"]
    else:
        lines = [f"{c['name']} | {reg['brand']} | @D@ @T@", "",
                 "Subjective: " + intro + " " + " ".join(narr),
                 "Objective: " + vitals(rng, p, 0) + " " + " ".join(sentences(rng, p, v, "exam", 1)),
                 f"Intervention: {admin} Lot @L@ / exp @E@. {consent}",
                 f"Response: {resp}", "Plan: " + " ".join(plan), sig]
    return "\n".join(lines), f"{nurse[1]}, {nurse[0]}"


def render(skel, date, tm, lt, exp):
    return skel.replace("@D@", date).replace("@T@", tm).replace("@L@", lt).replace("@E@", exp)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notes", type=int, required=True)
    ap.add_argument("--clones", type=float, default=0.1, help="fraction of notes that are planted clones")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="-", help="export (JSON Lines); - for stdout")
    ap.add_argument("--truth", help="ground truth of the planted clones (JSON Lines)")
    ap.add_argument("--chunk", type=int, default=1000, help="patients per output chunk")
    a = ap.parse_args()
    n_notes = a.notes
    n_pat = max(1, round(n_notes / 10))
    if not 4 * n_pat <= n_notes <= 16 * n_pat:
        ap.error("--notes must allow 4-16 visits for notes/10 patients")
    eligible = n_notes - n_pat  # visits that are not a patient's first
    want = round(a.clones * n_notes)
    if not 0 <= want <= eligible:
        ap.error(f"--clones {a.clones}: {want} clones but only {eligible} later visits")
    rng = random.Random(a.seed)
    clinics = [make_clinic(rng, i) for i in range(max(5, n_pat // 250))]
    out = sys.stdout if a.out == "-" else open(a.out, "w", encoding="utf-8", buffering=1 << 20)
    truth = open(a.truth, "w", encoding="utf-8", buffering=1 << 20) if a.truth else None
    t0 = time.perf_counter()
    base = datetime.date(2023, 1, 2)
    notes_left, pats_left, seen, planted, written, nbytes = n_notes, n_pat, 0, 0, 0, 0
    next_id = 1
    enc = json.JSONEncoder(ensure_ascii=False).encode
    pid = 0
    while pats_left:
        chunk = []  # (date, time, patient, skeleton, author, clone_of_index_in_chunk or -1, lot fields)
        for _ in range(min(a.chunk, pats_left)):
            pid += 1
            lo = max(4, notes_left - 16 * (pats_left - 1))
            hi = min(16, notes_left - 4 * (pats_left - 1))
            k = rng.randint(lo, hi)
            notes_left -= k
            pats_left -= 1
            clinic = pick(rng, clinics)
            p = make_patient(rng, f"p{pid:06d}", clinic, base + datetime.timedelta(days=rng.randint(0, 700)))
            d = p["start"]
            prev = -1
            side = rng.random() < 0.5
            for visit in range(1, k + 1):
                if visit > 1:
                    d = d + datetime.timedelta(days=rng.randint(26, 35))
                side = not side if rng.random() < 0.8 else side
                tm = f"{rng.randint(8, 16):02d}:{pick(rng, ('00', '05', '10', '15', '20', '30', '40', '45', '50'))}"
                lt = lot(rng)
                exp_d = d + datetime.timedelta(days=rng.randint(200, 900))
                exp = f"{exp_d.month:02d}/{exp_d.year}"
                clone = False
                if visit > 1:
                    # selection sampling: exactly `want` clones among the eligible visits
                    if rng.random() * (eligible - seen) < (want - planted):
                        clone = True
                        planted += 1
                    seen += 1
                if clone:
                    skel, author = chunk[prev][3], chunk[prev][4]
                else:
                    v = {"visit_no": visit, "side": "left" if side else "right",
                         "nurse": pick(rng, clinic["nurses"])}
                    skel, author = compose(rng, p, v)
                chunk.append((d, tm, p, skel, author, prev if clone else -1, lt, exp))
                prev = len(chunk) - 1
        order = sorted(range(len(chunk)), key=lambda i: (chunk[i][0], chunk[i][1], chunk[i][2]["pid"]))
        ids = [None] * len(chunk)
        for i in order:
            ids[i] = f"n{next_id:07d}"
            next_id += 1
        lines, tlines = [], []
        for i in order:
            d, tm, p, skel, author, clone_of, lt, exp = chunk[i]
            text = render(skel, fmt_date(d, p["clinic"]["datefmt"]), tm, lt, exp)
            nbytes += len(text.encode("utf-8"))
            lines.append(enc({"note_id": ids[i], "patient_id": p["pid"], "date": d.isoformat(),
                              "author": author, "text": text}))
            if clone_of >= 0:
                tlines.append(enc({"note_id": ids[i], "related_note_id": ids[clone_of]}))
        out.write("\n".join(lines) + "\n")
        if truth and tlines:
            truth.write("\n".join(tlines) + "\n")
        written += len(lines)
        print(f"# gen_visits: {written}/{n_notes} notes, {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    if out is not sys.stdout:
        out.close()
    if truth:
        truth.close()
    print(f"# gen_visits: notes={written} patients={n_pat} clones={planted} "
          f"avg_text_bytes={nbytes / max(1, written):.0f} seconds={time.perf_counter() - t0:.1f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
