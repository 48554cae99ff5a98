/**
 * Name material for demo data: each culture pairs native-script names with the ASCII form used in
 * user names and e-mail addresses, plus the locale, time zone and E.164 country code.
 */
type Culture = {
  locale: string;
  timezone: string;
  country: string;
  /** E.164 country calling code without "+". */
  callingCode: string;
  /** Subscriber digits after the calling code. */
  subscriberDigits: number;
  /** Family name first in the formatted name (East Asian and Hungarian order). */
  familyFirst: boolean;
  given: [native: string, ascii: string][];
  family: [native: string, ascii: string][];
};

export const CULTURES: Culture[] = [
  {
    locale: 'en-US',
    timezone: 'America/New_York',
    country: 'US',
    callingCode: '1',
    subscriberDigits: 10,
    familyFirst: false,
    given: [
      ['James', 'james'],
      ['Olivia', 'olivia'],
      ['Liam', 'liam'],
      ['Emma', 'emma'],
      ['Noah', 'noah'],
      ['Ava', 'ava'],
      ['Ethan', 'ethan'],
      ['Sophia', 'sophia'],
    ],
    family: [
      ['Smith', 'smith'],
      ['Johnson', 'johnson'],
      ['Williams', 'williams'],
      ['Brown', 'brown'],
      ['Jones', 'jones'],
      ['Miller', 'miller'],
      ["O'Brien", 'obrien'],
    ],
  },
  {
    locale: 'fr-FR',
    timezone: 'Europe/Paris',
    country: 'FR',
    callingCode: '33',
    subscriberDigits: 9,
    familyFirst: false,
    given: [
      ['Élodie', 'elodie'],
      ['Jérôme', 'jerome'],
      ['Zoé', 'zoe'],
      ['François', 'francois'],
      ['Maëlle', 'maelle'],
      ['Noël', 'noel'],
    ],
    family: [
      ['Lefèvre', 'lefevre'],
      ['Dubois', 'dubois'],
      ['Moreau', 'moreau'],
      ['Girard', 'girard'],
      ['Bérénger', 'berenger'],
    ],
  },
  {
    locale: 'de-DE',
    timezone: 'Europe/Berlin',
    country: 'DE',
    callingCode: '49',
    subscriberDigits: 10,
    familyFirst: false,
    given: [
      ['Jürgen', 'juergen'],
      ['Lena', 'lena'],
      ['Björn', 'bjoern'],
      ['Käthe', 'kaethe'],
      ['Lukas', 'lukas'],
    ],
    family: [
      ['Müller', 'mueller'],
      ['Schröder', 'schroeder'],
      ['Weiß', 'weiss'],
      ['Groß', 'gross'],
      ['Fischer', 'fischer'],
    ],
  },
  {
    locale: 'es-ES',
    timezone: 'Europe/Madrid',
    country: 'ES',
    callingCode: '34',
    subscriberDigits: 9,
    familyFirst: false,
    given: [
      ['José', 'jose'],
      ['María', 'maria'],
      ['Iñigo', 'inigo'],
      ['Lucía', 'lucia'],
      ['Álvaro', 'alvaro'],
    ],
    family: [
      ['García', 'garcia'],
      ['Núñez', 'nunez'],
      ['Martínez', 'martinez'],
      ['Peña', 'pena'],
      ['Sánchez', 'sanchez'],
    ],
  },
  {
    locale: 'pl-PL',
    timezone: 'Europe/Warsaw',
    country: 'PL',
    callingCode: '48',
    subscriberDigits: 9,
    familyFirst: false,
    given: [
      ['Łukasz', 'lukasz'],
      ['Małgorzata', 'malgorzata'],
      ['Wojciech', 'wojciech'],
      ['Zofia', 'zofia'],
    ],
    family: [
      ['Wiśniewski', 'wisniewski'],
      ['Kowalczyk', 'kowalczyk'],
      ['Zieliński', 'zielinski'],
      ['Dąbrowska', 'dabrowska'],
    ],
  },
  {
    locale: 'hu-HU',
    timezone: 'Europe/Budapest',
    country: 'HU',
    callingCode: '36',
    subscriberDigits: 9,
    familyFirst: true,
    given: [
      ['Zoltán', 'zoltan'],
      ['Ágnes', 'agnes'],
      ['Gergő', 'gergo'],
      ['Réka', 'reka'],
    ],
    family: [
      ['Nagy', 'nagy'],
      ['Kovács', 'kovacs'],
      ['Tóth', 'toth'],
      ['Szabó', 'szabo'],
    ],
  },
  {
    locale: 'tr-TR',
    timezone: 'Europe/Istanbul',
    country: 'TR',
    callingCode: '90',
    subscriberDigits: 10,
    familyFirst: false,
    given: [
      ['Çağla', 'cagla'],
      ['İbrahim', 'ibrahim'],
      ['Şule', 'sule'],
      ['Oğuz', 'oguz'],
    ],
    family: [
      ['Yılmaz', 'yilmaz'],
      ['Öztürk', 'ozturk'],
      ['Çelik', 'celik'],
      ['Şahin', 'sahin'],
    ],
  },
  {
    locale: 'ru-RU',
    timezone: 'Europe/Moscow',
    country: 'RU',
    callingCode: '7',
    subscriberDigits: 10,
    familyFirst: false,
    given: [
      ['Анна', 'anna'],
      ['Дмитрий', 'dmitry'],
      ['Ольга', 'olga'],
      ['Сергей', 'sergey'],
    ],
    family: [
      ['Иванова', 'ivanova'],
      ['Смирнов', 'smirnov'],
      ['Кузнецова', 'kuznetsova'],
      ['Попов', 'popov'],
    ],
  },
  {
    locale: 'el-GR',
    timezone: 'Europe/Athens',
    country: 'GR',
    callingCode: '30',
    subscriberDigits: 10,
    familyFirst: false,
    given: [
      ['Γιώργος', 'giorgos'],
      ['Ελένη', 'eleni'],
      ['Νίκος', 'nikos'],
    ],
    family: [
      ['Παπαδόπουλος', 'papadopoulos'],
      ['Οικονόμου', 'oikonomou'],
      ['Γεωργίου', 'georgiou'],
    ],
  },
  {
    locale: 'ja-JP',
    timezone: 'Asia/Tokyo',
    country: 'JP',
    callingCode: '81',
    subscriberDigits: 10,
    familyFirst: true,
    given: [
      ['翔太', 'shota'],
      ['さくら', 'sakura'],
      ['大輔', 'daisuke'],
      ['陽菜', 'hina'],
    ],
    family: [
      ['佐藤', 'sato'],
      ['鈴木', 'suzuki'],
      ['高橋', 'takahashi'],
      ['田中', 'tanaka'],
    ],
  },
  {
    locale: 'zh-CN',
    timezone: 'Asia/Shanghai',
    country: 'CN',
    callingCode: '86',
    subscriberDigits: 11,
    familyFirst: true,
    given: [
      ['伟', 'wei'],
      ['芳', 'fang'],
      ['静', 'jing'],
      ['磊', 'lei'],
    ],
    family: [
      ['王', 'wang'],
      ['李', 'li'],
      ['张', 'zhang'],
      ['刘', 'liu'],
    ],
  },
  {
    locale: 'ko-KR',
    timezone: 'Asia/Seoul',
    country: 'KR',
    callingCode: '82',
    subscriberDigits: 10,
    familyFirst: true,
    given: [
      ['민준', 'minjun'],
      ['서연', 'seoyeon'],
      ['지호', 'jiho'],
    ],
    family: [
      ['김', 'kim'],
      ['이', 'lee'],
      ['박', 'park'],
    ],
  },
  {
    locale: 'ar-EG',
    timezone: 'Africa/Cairo',
    country: 'EG',
    callingCode: '20',
    subscriberDigits: 10,
    familyFirst: false,
    given: [
      ['محمد', 'mohamed'],
      ['فاطمة', 'fatma'],
      ['أحمد', 'ahmed'],
      ['مريم', 'mariam'],
    ],
    family: [
      ['حسن', 'hassan'],
      ['إبراهيم', 'ibrahim'],
      ['علي', 'ali'],
    ],
  },
  {
    locale: 'hi-IN',
    timezone: 'Asia/Kolkata',
    country: 'IN',
    callingCode: '91',
    subscriberDigits: 10,
    familyFirst: false,
    given: [
      ['आरव', 'aarav'],
      ['अनन्या', 'ananya'],
      ['Priya', 'priya'],
      ['Rohan', 'rohan'],
    ],
    family: [
      ['शर्मा', 'sharma'],
      ['Patel', 'patel'],
      ['Iyer', 'iyer'],
      ['गुप्ता', 'gupta'],
    ],
  },
  {
    locale: 'pt-BR',
    timezone: 'America/Sao_Paulo',
    country: 'BR',
    callingCode: '55',
    subscriberDigits: 11,
    familyFirst: false,
    given: [
      ['João', 'joao'],
      ['Ana', 'ana'],
      ['Conceição', 'conceicao'],
      ['Thiago', 'thiago'],
    ],
    family: [
      ['Gonçalves', 'goncalves'],
      ['Araújo', 'araujo'],
      ['Simões', 'simoes'],
      ['Lima', 'lima'],
    ],
  },
  {
    locale: 'vi-VN',
    timezone: 'Asia/Ho_Chi_Minh',
    country: 'VN',
    callingCode: '84',
    subscriberDigits: 9,
    familyFirst: true,
    given: [
      ['Thảo', 'thao'],
      ['Đức', 'duc'],
      ['Hương', 'huong'],
    ],
    family: [
      ['Nguyễn', 'nguyen'],
      ['Trần', 'tran'],
      ['Phạm', 'pham'],
    ],
  },
  {
    locale: 'sv-SE',
    timezone: 'Europe/Stockholm',
    country: 'SE',
    callingCode: '46',
    subscriberDigits: 9,
    familyFirst: false,
    given: [
      ['Åsa', 'asa'],
      ['Örjan', 'orjan'],
      ['Linnéa', 'linnea'],
    ],
    family: [
      ['Ångström', 'angstrom'],
      ['Lindqvist', 'lindqvist'],
      ['Sjöberg', 'sjoberg'],
    ],
  },
  {
    locale: 'he-IL',
    timezone: 'Asia/Jerusalem',
    country: 'IL',
    callingCode: '972',
    subscriberDigits: 9,
    familyFirst: false,
    given: [
      ['נועה', 'noa'],
      ['איתי', 'itai'],
      ['תמר', 'tamar'],
    ],
    family: [
      ['כהן', 'cohen'],
      ['לוי', 'levi'],
      ['מזרחי', 'mizrahi'],
    ],
  },
];

export const DEPARTMENTS: { name: string; titles: string[]; costCenter: string }[] = [
  {
    name: 'Engineering',
    titles: [
      'Software Engineer',
      'Senior Software Engineer',
      'Staff Engineer',
      'Engineering Manager',
    ],
    costCenter: 'CC-1100',
  },
  {
    name: 'Sales',
    titles: ['Account Executive', 'Sales Development Representative', 'Regional Sales Director'],
    costCenter: 'CC-2100',
  },
  {
    name: 'Marketing',
    titles: ['Product Marketing Manager', 'Content Strategist', 'Growth Analyst'],
    costCenter: 'CC-2200',
  },
  {
    name: 'Finance',
    titles: ['Financial Analyst', 'Controller', 'Payroll Specialist'],
    costCenter: 'CC-3100',
  },
  {
    name: 'People',
    titles: ['HR Business Partner', 'Recruiter', 'People Operations Lead'],
    costCenter: 'CC-3200',
  },
  {
    name: 'Support',
    titles: ['Support Engineer', 'Customer Success Manager', 'Support Team Lead'],
    costCenter: 'CC-4100',
  },
  { name: 'Legal', titles: ['Legal Counsel', 'Compliance Officer'], costCenter: 'CC-3300' },
  {
    name: 'IT',
    titles: ['IT Administrator', 'Identity Engineer', 'Security Analyst'],
    costCenter: 'CC-1200',
  },
];
