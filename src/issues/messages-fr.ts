/**
 * French templates of the issue catalogue (catalogue.ts), for what the CLI prints on the terminal for people
 * (`--lang fr`). Same codes, same `{placeholder}`s as the English templates; data outputs (JSON, CSV, rejects files)
 * stay English. NumEcoEval/G4IT column names (`dureeUsageInterne`, `cleRepartition`…) and codes (PUE, WATER_USE…) are
 * kept as they are. Placeholder values are not translated, except the kind names of `FR_TRANSLATED_PLACEHOLDERS`
 * (`FR_VALUES`).
 * The mapped type makes the compiler fail when a code of the catalogue has no French template.
 */
import type { IssueCode } from './catalogue.js';

export const FR: { readonly [C in IssueCode]: string } = {
  // Server requests (issue 12)
  APP_UNAUTHENTICATED: 'Une authentification est requise.',
  APP_BAD_CREDENTIALS: "L'adresse e-mail ou le mot de passe est incorrect.",
  APP_FORBIDDEN: "Votre rôle ne permet pas l'action {action}.",
  APP_NOT_FOUND: "{kind} {id} n'existe pas.",
  APP_CONFLICT: '{kind} {name} existe déjà.',
  APP_CAMPAIGN_LOCKED: 'La campagne {id} est verrouillée ; un administrateur doit d’abord la déverrouiller.',
  APP_CSRF:
    'Une écriture authentifiée par cookie exige un en-tête X-CSRF-Token valide et une origine (Origin) identique à celle du serveur.',
  APP_VALIDATION: 'La requête est invalide.',
  APP_INVALID: 'Requête refusée : {reason}',
  APP_RATE_LIMITED: 'Trop de requêtes ; réessayez plus tard.',
  APP_PAYLOAD_TOO_LARGE: 'Le corps de la requête est trop volumineux.',
  APP_INTERNAL: 'Erreur interne.',
  APP_RESET_INVALID:
    'Ce lien de réinitialisation du mot de passe est inconnu, déjà utilisé ou expiré ; demandez-en un nouveau à un administrateur.',
  APP_OIDC_REFUSED: 'Connexion OpenID Connect refusée : {reason}.',
  APP_UPLOAD_PURGED:
    "Le dépôt {id} ({fileName}) a été purgé par la durée de conservation de l'organisation : son fichier brut n'existe plus, la campagne ne peut donc pas être réévaluée (ses derniers résultats restent) ; déposez les fichiers dans une nouvelle campagne pour recalculer.",
  APP_REFERENTIAL_REFUSED:
    'Référentiel refusé, aucune ligne utilisable ({refused} refusée(s)) : {code} dans {file} ligne {line} colonne {column} : {reason}',
  // Server jobs and workers (issue 12)
  JOB_SQLITE_NO_WORKER:
    '{command} nécessite PostgreSQL (DATABASE_URL) : avec SQLite, les tâches s’exécutent dans le processus du serveur lancé par `empreinte serve`.',
  JOB_ATTEMPTS_EXHAUSTED: 'La tâche a échoué après {attempts} tentative(s) ; dernière erreur : {reason}',
  JOB_EXPIRED:
    'La tâche ne s’est pas terminée en {seconds} s ou son worker s’est arrêté (plantage, kill) ; elle a été remise dans la file.',
  JOB_INTERRUPTED: 'Le worker a été arrêté avant la fin de la tâche ; elle a été remise dans la file.',
  // §2.12 inputs
  INP_FILE_UNREADABLE: 'Le fichier {file} ne peut pas être lu : {reason}.',
  INP_ENTRY_SKIPPED: "L'entrée de dossier {file} est ignorée : {reason}.",
  INP_ITEM_NOT_FOUND: "Aucun élément nommé « {value} » dans l'inventaire évalué.",
  OUT_UNWRITABLE: '{file} ne peut pas être écrit : {reason}.',
  OUT_FORMAT_LIMIT: 'La sortie {format} ne peut pas contenir {what} : la limite est {limit}.',
  INP_ALL_LINES_REJECTED:
    'Toutes les lignes de {file} ont été rejetées ({rejected} ligne(s), lues comme {kind}) : vérifiez que le fichier contient des lignes {kind} et, pour un export d’un autre outil, son mapping (--mapping).',
  INP_INVENTORY_EMPTY:
    "L'inventaire ne contient aucun élément à évaluer (fichiers lus, avec le type détecté et les lignes importées/lues : {inputs}) ; le résultat serait nul. Vérifiez le type détecté pour chaque fichier (empreinte validate) et, pour un export d’un autre outil, son mapping (--mapping).",
  OUT_FILE_REQUIRED: '--format {format} n’écrit pas dans le terminal : donnez {what} avec --out.',
  OUT_OVERWRITES_INPUT:
    "{option} {file} est l'entrée {input} ou se trouve dedans ; choisissez un chemin hors des entrées.",
  INP_ENCODING: "Le fichier {file} n'est ni un texte UTF-8 valide ni un texte Windows-1252.",
  INP_FILE_KIND_UNKNOWN: "Le fichier {file} ne correspond à aucun format d'entrée connu.",
  INP_FILE_EMPTY: "Le fichier {file} est vide : il n'a pas de ligne d'en-tête.",
  INP_HEADER_MISSING: "L'en-tête de {file} ne contient pas les colonnes obligatoires : {columns}.",
  INP_HEADER_DUPLICATE: "L'en-tête de {file} contient plusieurs fois la colonne {column}.",
  INP_HEADER_UNKNOWN: "L'en-tête de {file} contient des colonnes inconnues : {columns}. Elles sont ignorées.",
  INP_HEADER_UNKNOWN_STRICT:
    "L'en-tête de {file} contient des colonnes inconnues : {columns}. Le mode strict refuse le fichier, comme le chargeur G4IT.",
  INP_HEADER_LEGACY:
    "L'en-tête de {file} contient des colonnes d'anciens fichiers NumEcoEval : {columns}. Elles sont ignorées.",
  INP_TOO_MANY_REJECTS: '{file} : plus de {max} lignes ont été rejetées ; le fichier est rejeté en totalité.',
  INP_BAD_CSV: '{file} : la structure CSV est incorrecte : {reason}.',
  INP_TOO_LARGE: '{file} dépasse une limite de lecture : {reason} ; la lecture est arrêtée.',
  INP_FIELD_COUNT: 'Ligne {line} : {expected} champs attendus, {found} trouvés.',
  INP_BAD_RECORD: "Ligne {line} : l'enregistrement CSV est mal formé : {reason}.",
  INP_REQUIRED: 'Ligne {line} : le champ « {field} » est obligatoire.',
  INP_MODEL_EMPTY: "Ligne {line} : le champ « modele » est vide ; l'équipement est évalué d'après son type « {type} ».",
  INP_TOO_LONG: 'Ligne {line} : le champ « {field} » ne doit pas dépasser 255 caractères.',
  INP_NOT_NUMBER: 'Ligne {line} : le champ « {field} » doit être un nombre (valeur lue : « {value} »).',
  INP_NOT_POSITIVE: 'Ligne {line} : le champ « {field} » doit être strictement supérieur à 0 (valeur lue : {value}).',
  INP_NEGATIVE: 'Ligne {line} : le champ « {field} » ne doit pas être négatif (valeur lue : {value}).',
  INP_NOT_INTEGER: 'Ligne {line} : le champ « {field} » doit être un entier positif (valeur lue : « {value} »).',
  INP_OUT_OF_RANGE:
    'Ligne {line} : le champ « {field} » doit être compris entre {min} et {max} (valeur lue : {value}).',
  INP_BAD_DATE:
    "Ligne {line} : le champ « {field} » n'est pas une date valide ; formats acceptés : AAAA-MM-JJ, AAAAMMJJ, JJ/MM/AAAA et AAAA/MM/JJ (valeur lue : « {value} »).",
  INP_DATES_INVERTED: "Ligne {line} : la date d'achat {dateAchat} est postérieure à la date de retrait {dateRetrait}.",
  INP_BAD_ENUM: "Ligne {line} : le champ « {field} » accepte {allowed} ; « {value} » n'est pas reconnu.",
  INP_BAD_MONTH: 'Ligne {line} : MoisAnnee doit être un mois écrit MMAAAA (valeur lue : « {value} »).',
  INP_PUE_RANGE:
    'Ligne {line} : le PUE du centre de données {name} doit être strictement supérieur à 1 (valeur lue : {value}).',
  INP_HOURS_RANGE:
    'Ligne {line} : le champ « {field} » ne doit pas dépasser 8 760 heures par an (valeur lue : {value}).',
  INP_ALLOCATION_RANGE:
    'Ligne {line} : la clé de répartition cleRepartition doit être comprise entre 0 et 1 (valeur lue : {value}).',
  INP_DUPLICATE_STRICT:
    'Ligne {line} : la clé « {key} » ({entity}) apparaît {count} fois (lignes {lines}) ; le mode strict rejette chaque copie, comme le chargeur G4IT.',
  INP_DUPLICATE_KEY: 'Ligne {line} : la clé « {key} » ({entity}) est déjà définie à la ligne {firstLine}.',
  INP_UNKNOWN_DATACENTER:
    "Ligne {line} : le centre de données « {name} » n'existe pas dans le fichier des centres de données.",
  INP_HOST_REQUIRED:
    "Ligne {line} : l'équipement virtuel « {vm} » doit indiquer son équipement physique hôte, sauf si typeInfrastructure vaut CLOUD_SERVICES.",
  INP_UNKNOWN_HOST:
    "Ligne {line} : l'équipement physique « {host} », référencé par l'équipement virtuel « {vm} », n'existe pas.",
  INP_UNKNOWN_VM: "Ligne {line} : l'équipement virtuel « {vm} », référencé par l'application « {app} », n'existe pas.",
  INP_UNKNOWN_APP_HOST:
    "Ligne {line} : l'équipement physique « {host} », référencé par l'application « {app} », n'existe pas.",
  INP_UNKNOWN_TYPE:
    "Ligne {line} : le type d'équipement « {type} » n'existe pas dans le référentiel actif (types connus : {known}).",
  INP_UNKNOWN_LOCATION:
    "Ligne {line} : la localisation « {value} » n'a pas de facteur de mix électrique dans le référentiel actif.",
  INP_UNKNOWN_ENTITY: "Ligne {line} : l'entité « {value} » n'est pas déclarée dans le fichier des entités.",
  INP_VCPU_MISSING:
    "Ligne {line} : l'équipement virtuel « {vm} » de type calcul n'a pas de vCPU ; à défaut, sa part est calculée par répartition égale.",
  INP_STORAGE_MISSING:
    "Ligne {line} : l'équipement virtuel « {vm} » de type stockage n'a pas de capaciteStockage ; à défaut, sa part est calculée par répartition égale.",
  INP_CLOUD_FIELD_REQUIRED: 'Ligne {line} : le champ « {field} » est obligatoire pour les services cloud.',
  INP_UNKNOWN_CLOUD_PROVIDER: 'Ligne {line} : valeur inconnue du référentiel cloud pour {what} : « {value} ».',
  INP_UNKNOWN_CLOUD_INSTANCE: 'Ligne {line} : valeur inconnue du référentiel cloud pour {what} : « {value} ».',
  INP_UNKNOWN_CLOUD_REGION: 'Ligne {line} : valeur inconnue du référentiel cloud pour {what} : « {value} ».',
  INP_USAGE_SHARE_CONFLICT:
    'Ligne {line} : tauxUtilisation et modeUtilisation sont tous deux renseignés ; tauxUtilisation est retenu.',
  INP_DOWNSTREAM_WITHOUT_RATE:
    'Ligne {line} : dureeUsageAval est renseigné sans tauxReemploi ; un taux de réemploi de 1 est retenu par hypothèse.',
  INP_PURCHASE_AFTER_REFERENCE: "Ligne {line} : la date d'achat {date} est postérieure à la date de référence {ref}.",
  INP_RETIRED_BEFORE_PERIOD: 'Ligne {line} : la date de retrait {date} est antérieure au début de la période {start}.',
  INP_AMBIGUOUS_NUMBER:
    'Ligne {line} : la valeur « {value} » du champ « {field} » est ambiguë ; elle a été lue comme {read}.',
  INP_ABSURD_VALUE:
    'Ligne {line} : la valeur {value} du champ « {field} » est invraisemblable pour le type {type} ({reason}).',
  INP_FUTURE_DATE: 'Ligne {line} : la date {value} du champ « {field} » est dans le futur.',
  // column mappings (docs/mapping.md)
  INP_SOURCES_INVALID: 'Le fichier de sources {file} est invalide en {path} : {reason}.',
  INP_RESULT_INVALID: 'Le fichier {file} n’est pas un résultat de assess --format json : {field} : {reason}.',
  INP_MAPPING_INVALID: "La correspondance de colonnes {file} est invalide à l'emplacement {path} : {reason}.",
  INP_MAPPING_EXCLUDED: 'Ligne {line} : exclue par la correspondance de colonnes {mapping} : {reason}.',
  INP_MAPPING_ROUNDED:
    "Ligne {line} : la valeur {value} du champ « {field} » n'est pas un nombre entier ; arrondie à {rounded}.",
  // §3.5 referential
  REF_FILE_KIND_UNKNOWN: 'Le fichier de référentiel {file} ne correspond à aucun format de référentiel connu.',
  REF_HEADER_MISSING: 'Il manque des colonnes au fichier de référentiel {kind} {file} : {columns}.',
  REF_FIELD_COUNT: 'Ligne {line} : au plus {expected} champs attendus, {found} trouvés.',
  REF_BAD_NUMBER: 'Ligne {line} : le champ « {field} » doit être un nombre (valeur lue : « {value} »).',
  REF_REQUIRED: 'Ligne {line} : le champ « {field} » est obligatoire.',
  REF_UNKNOWN_CRITERION: "Ligne {line} : le critère « {value} » n'est pas déclaré et ne correspond à aucun alias.",
  REF_UNKNOWN_STEP:
    "Ligne {line} : l'étape du cycle de vie « {value} » n'est pas déclarée et ne correspond à aucun alias.",
  REF_UNKNOWN_ITEM_UNIT:
    "Ligne {line} : l'unité fonctionnelle « {unit} » de l'élément « {item} » est inconnue ; elle est traitée comme Item.",
  REF_DUPLICATE_KEY:
    'Ligne {line} : la clé {key} est déjà chargée dans cette couche ; la ligne lue en dernier la remplace.',
  REF_INCONSISTENT_KWH:
    "L'élément de référence « {item} » a plusieurs consommations moyennes ; la valeur {value} est retenue.",
  REF_DANGLING_DEFAULT_ITEM:
    "Le type d'équipement « {type} » désigne l'élément par défaut « {item} », qui n'a aucun facteur.",
  REF_DANGLING_MATCHING: "La correspondance « {model} » → « {item} » vise un élément qui n'a aucun facteur.",
  REF_HYPOTHESIS_INVALID:
    "L'hypothèse « {code} » doit être un nombre compris entre {min} et {max} (valeur lue : « {value} »).",
  REF_NEGATIVE_VALUE:
    "Ligne {line} : facteur négatif {value} pour {criterion} ; la ligne est refusée (aucun critère RCP des équipements numériques n'a de facteur négatif).",
  REF_NOT_FINITE: "Ligne {line} : le champ « {field} » n'est pas un nombre fini (valeur lue : « {value} »).",
  REF_LIFETIME_RANGE:
    "Ligne {line} : la durée de vie {value} du type « {type} » doit être strictement positive et d'au plus 50 ans.",
  REF_BAD_BOOLEAN:
    'Ligne {line} : le champ « {field} » doit valoir true/false, 1/0, oui/non ou yes/no (valeur lue : « {value} »).',
  REF_BAD_VALUE: 'Ligne {line} : le champ « {field} » accepte {accepted} ; valeur lue : « {value} ».',
  REF_BAD_ROW: "Ligne {line} : l'enregistrement CSV est mal formé ({reason}) ; il est ignoré.",
  REF_TABLE_IGNORED:
    "Le fichier de référentiel {kind} {file} est reconnu mais n'est pas encore utilisé par le moteur ; il est ignoré.",
  REF_OTHER_OWNER_IGNORED:
    "{count} ligne(s) {table} appartenant à « {owner} » ignorée(s) : l'organisation du calcul est « {organisation} ».",
  REF_UNKNOWN_LOCATION:
    "Ligne {line} : la localisation « {value} » n'est pas un pays connu ; elle est conservée sous ce nom.",
  REF_PACK_INVALID:
    'Paquet {id} : manifeste absent, illisible ou ne correspondant pas au contenu ({reason}) ; le paquet est refusé.',
  REF_NOTHING_USABLE:
    "Le référentiel {id} n'a aucune ligne utilisable ({refused} refusée(s)) ; le calcul ne se rabat pas sur le référentiel par défaut.",
  REF_PACK_UNKNOWN: "Le paquet de référentiel « {id} » n'existe pas ; paquets connus : {known}.",
  // §4.0 calculation
  CALC_NO_REFERENCE_ITEM:
    "Aucun élément de référence trouvé pour l'équipement « {name} » (modèle « {model} », type « {type} ») ; recherches effectuées : {tried}.",
  CALC_FACTOR_MISSING:
    "L'élément de référence « {item} » n'a pas de facteur pour l'étape {step} et le critère {criterion}.",
  CALC_ELEC_FACTOR_MISSING:
    'Aucun facteur de mix électrique pour la localisation « {location} » et le critère {criterion}.',
  CALC_ELECTRICITY_MISSING:
    "Consommation électrique manquante pour l'équipement « {name} » : ni consoElecAnnuelle, ni consommation moyenne sur l'élément de référence « {item} ».",
  CALC_LIFESPAN_UNDETERMINED: "La durée de vie de l'équipement « {name} » n'a pas pu être déterminée.",
  CALC_HOST_IN_ERROR:
    "L'hôte « {host} » n'a pas d'indicateur valide pour {step}/{criterion} ; la part de « {vm} » ne peut pas être calculée.",
  CALC_MESSAGING_FACTOR_MISSING: 'Aucun facteur de messagerie (A, b) pour le critère {criterion}.',
  CALC_MESSAGING_UNIT_UNDECLARED: "L'unité de volumeTotalMailEmis doit être déclarée (option messagingVolumeUnit).",
  CALC_CLOUD_PLATFORM_UNKNOWN: "L'instance cloud « {instance} » n'a pas de description de plateforme.",
  CALC_SERVICE_PARAMETER_MISSING: 'Service numérique « {service} » : le paramètre « {parameter} » est obligatoire.',
  CALC_NOT_FINITE:
    "L'indicateur {step}/{criterion} de « {name} » dépasse la plage des nombres ; il est compté en erreur.",
  CALC_MODEL_FALLBACK:
    "Le modèle « {model} » ne correspond à aucun élément de référence ; l'élément par défaut « {item} » du type « {type} » est utilisé.",
  CALC_LIFESPAN_FLOORED: 'Durée de vie de « {name} » relevée de {value} à {min} an(s).',
  CALC_DEFAULT_PUE: 'PUE par défaut {value} appliqué à « {name} ».',
  CALC_DISK_KIND_UNKNOWN:
    'Disque de {value} Go compté comme un SSD : le type de disque est inconnu (décrire les disques avec nbSsd, tailleSsd, nbHdd).',
  CALC_ALLOCATION_OVER_100: "Les parts des équipements virtuels de l'hôte « {host} » totalisent {sum}, soit plus de 1.",
  CALC_OUT_OF_PERIOD:
    "« {name} » n'est pas en service pendant la période du {start} au {end} (en service du {from} au {to}) ; exclu des totaux.",
  // digital services (§2.10, §5)
  SVC_FILE_INVALID: "Le fichier de service {file} n'est pas un YAML ou un JSON valide : {reason}.",
  SVC_FIELD_INVALID: 'Service {file} : le champ « {field} » est invalide : {reason}.',
  SVC_UNKNOWN_KIND: 'Service {file} : type de service ou préréglage « {value} » inconnu ; valeurs connues : {allowed}.',
  SVC_UNKNOWN_PARAMETER:
    "Service {file} : le préréglage « {preset} » n'a pas de paramètre « {parameter} » ; paramètres connus : {allowed}.",
  SVC_BAD_PARAMETER_VALUE:
    "Service {file} : le paramètre « {parameter} » du préréglage « {preset} » accepte {allowed} ; « {value} » n'est pas reconnu.",
  SVC_MODEL_MISMATCH:
    'Service {file} : le modèle « {model} » ne peut pas calculer le type « {kind} » ; utilisez {allowed}.',
  SVC_SHARES_OVER_100: 'Service {file} : les parts de « {field} » totalisent {sum}, soit plus de 1 (100 %).',
  SVC_SHARES_NORMALISED: 'Service {file} : les parts de « {field} » totalisent {sum} ; elles sont ramenées à 1.',
  SVC_UNKNOWN_DEVICE:
    'Service {file} : le terminal « {item} » ne figure pas dans le référentiel ; terminaux connus : {allowed}.',
  SVC_UNKNOWN_NETWORK: 'Service {file} : le type de réseau « {value} » est inconnu ; types connus : {allowed}.',
  SVC_INVENTORY_REQUIRED:
    "Le service « {service} » renvoie à l'objet {kind} « {name} », mais aucun inventaire évalué n'a été fourni.",
  SVC_UNKNOWN_INVENTORY_OBJECT:
    "Service « {service} » : l'objet {kind} « {name} » n'a aucun indicateur dans l'inventaire évalué.",
  SVC_INVENTORY_ROW_IN_ERROR:
    "Service « {service} » : l'objet {kind} « {name} » a un indicateur en erreur pour {step}/{criterion} ; il compte pour 0.",
  SVC_MODEL_QUIRK: 'Modèle ADEME {version}, règle « {rule} » : {quirk}.',
  SVC_INVENTORY_INVALID: "Le fichier d'indicateurs d'inventaire {file} est invalide : {reason}.",
  SVC_G4IT_INVALID: 'Le fichier de service numérique G4IT {file} ne peut pas être importé : {reason}.',
  SVC_G4IT_UNSUPPORTED:
    'Service {file} : « {field} » ne peut pas être écrit dans les fichiers de service numérique de G4IT : {reason}.',
  // pilotage par l'API (issue 13)
  STR_CAMPAIGN_NOT_ASSESSED:
    "La campagne {campaign} n'a pas encore été évaluée : évaluez-la avant de la comparer ou d'y appliquer un scénario.",
  STR_NO_ASSESSED_CAMPAIGN:
    "Les leviers d'une action sont chiffrés sur une campagne évaluée ; l'organisation n'en a encore aucune.",
};

/** Placeholders whose value is a kind name (an inventory kind code or its English label), named in French. */
export const FR_TRANSLATED_PLACEHOLDERS = ['entity', 'kind'] as const;

/** French names of the inventory kinds, by code and by English label (`KIND_LABEL` of the pipeline). */
export const FR_VALUES: Readonly<Record<string, string>> = {
  entity: 'entité',
  datacenter: 'centre de données',
  'physical-equipment': 'équipement physique',
  'physical equipment': 'équipement physique',
  'virtual-equipment': 'équipement virtuel',
  'virtual equipment': 'équipement virtuel',
  application: 'application',
  'non-it': 'élément hors IT',
  'non-IT item': 'élément hors IT',
  messaging: 'messagerie',
  'messaging row': 'ligne de messagerie',
  unknown: 'inconnu',
};
