// Word lists for synthetic records; frequency follows Zipf's law by list position.
export interface LanguageVocabulary {
  code: string;
  country: string;
  words: string[];
  surnames: string[];
  forenames: string[];
  publishers: string[];
  places: string[];
  /** CJK titles are runs of characters without spaces. */
  joinWith: string;
}

export const VOCABULARY: LanguageVocabulary[] = [
  {
    code: 'eng',
    country: 'xxu',
    joinWith: ' ',
    words:
      'the of and history world library life time new war people city art music science water night river story house light garden women children family nature guide love modern early north south ancient secret journey island mountain ocean stars winter summer memory voice dream stone fire road letters empire century revolution poetry machine language theory'.split(
        ' ',
      ),
    surnames:
      'Smith Johnson Williams Brown Jones Miller Davis Wilson Taylor Clark Lewis Walker Hall Allen Young King Wright Scott Green Baker Adams Nelson Carter Mitchell Roberts'.split(
        ' ',
      ),
    forenames:
      'James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Susan Richard Jessica Joseph Sarah'.split(
        ' ',
      ),
    publishers: ['Penguin', 'HarperCollins', 'Oxford University Press', 'Vintage', 'Random House', 'Macmillan'],
    places: ['New York', 'London', 'Oxford', 'Boston', 'Chicago'],
  },
  {
    code: 'rus',
    country: 'ru ',
    joinWith: ' ',
    words:
      'и в история мир жизнь время война народ город искусство музыка наука вода ночь река рассказ дом свет сад женщины дети семья природа любовь север юг путешествие остров гора море звёзды зима лето память голос сон камень огонь дорога письма империя век революция поэзия язык библиотека'.split(
        ' ',
      ),
    surnames:
      'Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов'.split(
        ' ',
      ),
    forenames: 'Александр Мария Сергей Анна Дмитрий Елена Андрей Ольга Алексей Наталья Иван Татьяна'.split(' '),
    publishers: ['Эксмо', 'АСТ', 'Азбука', 'Наука', 'Просвещение'],
    places: ['Москва', 'Санкт-Петербург', 'Новосибирск', 'Казань'],
  },
  {
    code: 'spa',
    country: 'sp ',
    joinWith: ' ',
    words:
      'el la de y historia mundo vida tiempo guerra pueblo ciudad arte música ciencia agua noche río cuento casa luz jardín mujeres niños familia naturaleza amor norte sur viaje isla montaña mar estrellas invierno verano memoria voz sueño piedra fuego camino cartas imperio siglo revolución poesía lengua'.split(
        ' ',
      ),
    surnames:
      'García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández Díaz Moreno Álvarez'.split(
        ' ',
      ),
    forenames: 'José María Antonio Carmen Manuel Ana Francisco Isabel Juan Laura Pedro Lucía'.split(' '),
    publishers: ['Alfaguara', 'Anagrama', 'Planeta', 'Tusquets', 'Cátedra'],
    places: ['Madrid', 'Barcelona', 'Buenos Aires', 'México'],
  },
  {
    code: 'fre',
    country: 'fr ',
    joinWith: ' ',
    words:
      'le la de et histoire monde vie temps guerre peuple ville art musique science eau nuit rivière récit maison lumière jardin femmes enfants famille nature amour nord sud voyage île montagne mer étoiles hiver été mémoire voix rêve pierre feu chemin lettres empire siècle révolution poésie langue'.split(
        ' ',
      ),
    surnames:
      'Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèbvre Michel Garçon Rousseau'.split(
        ' ',
      ),
    forenames: 'Jean Marie Pierre Françoise Michel Monique Philippe Isabelle Alain Sylvie Hélène Émile'.split(' '),
    publishers: ['Gallimard', 'Flammarion', 'Seuil', 'Actes Sud', 'Hachette'],
    places: ['Paris', 'Lyon', 'Montréal', 'Bruxelles'],
  },
  {
    code: 'por',
    country: 'bl ',
    joinWith: ' ',
    words:
      'o a de e história mundo vida tempo guerra povo cidade arte música ciência água noite rio conto casa luz jardim mulheres crianças família natureza amor norte sul viagem ilha montanha mar estrelas inverno verão memória voz sonho pedra fogo caminho cartas império século revolução poesia língua'.split(
        ' ',
      ),
    surnames:
      'Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins Carvalho Araújo'.split(
        ' ',
      ),
    forenames: 'João Maria José Ana Antônio Francisca Carlos Juliana Paulo Márcia Lucas Beatriz'.split(' '),
    publishers: ['Companhia das Letras', 'Record', 'Rocco', 'Objetiva'],
    places: ['São Paulo', 'Rio de Janeiro', 'Lisboa', 'Recife'],
  },
  {
    code: 'ger',
    country: 'gw ',
    joinWith: ' ',
    words:
      'der die das und Geschichte Welt Leben Zeit Krieg Volk Stadt Kunst Musik Wissenschaft Wasser Nacht Fluss Erzählung Haus Licht Garten Frauen Kinder Familie Natur Liebe Norden Süden Reise Insel Berg Meer Sterne Winter Sommer Erinnerung Stimme Traum Stein Feuer Weg Briefe Reich Jahrhundert Revolution Dichtung Sprache'.split(
        ' ',
      ),
    surnames:
      'Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein Wolf'.split(
        ' ',
      ),
    forenames: 'Hans Anna Peter Ursula Klaus Monika Jürgen Petra Wolfgang Sabine Günter Käthe'.split(' '),
    publishers: ['Suhrkamp', 'Fischer', 'Rowohlt', 'Hanser', 'Reclam'],
    places: ['Berlin', 'München', 'Frankfurt am Main', 'Wien'],
  },
  {
    code: 'chi',
    country: 'cc ',
    joinWith: '',
    words: [
      ...'中国文学历史世界生活时间战争人民城市艺术音乐科学水夜河故事家光花园女子儿童家庭自然爱北南旅行岛山海星冬夏记忆声音梦石火路书信帝国世纪革命诗歌语言图书馆',
    ],
    surnames: [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林'],
    forenames: ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明'],
    publishers: ['人民文学出版社', '商务印书馆', '中华书局', '三联书店'],
    places: ['北京', '上海', '广州', '南京'],
  },
  {
    code: 'ara',
    country: 'ua ',
    joinWith: ' ',
    words:
      'في من تاريخ العالم الحياة الزمن الحرب الشعب المدينة الفن الموسيقى العلم الماء الليل النهر قصة البيت النور الحديقة النساء الأطفال الأسرة الطبيعة الحب الشمال الجنوب رحلة جزيرة جبل البحر النجوم الشتاء الصيف الذاكرة الصوت الحلم الحجر النار الطريق رسائل إمبراطورية القرن الثورة الشعر اللغة المكتبة'.split(
        ' ',
      ),
    surnames: 'محمد أحمد علي حسن حسين إبراهيم يوسف خليل عبدالله سعيد منصور'.split(' '),
    forenames: 'فاطمة عمر ليلى خالد مريم طارق نور سلمى'.split(' '),
    publishers: ['دار الشروق', 'دار الآداب', 'مكتبة لبنان'],
    places: ['القاهرة', 'بيروت', 'عمّان', 'تونس'],
  },
  {
    code: 'hin',
    country: 'ii ',
    joinWith: ' ',
    words:
      'और का इतिहास दुनिया जीवन समय युद्ध लोग शहर कला संगीत विज्ञान पानी रात नदी कहानी घर प्रकाश बगीचा महिलाएँ बच्चे परिवार प्रकृति प्रेम उत्तर दक्षिण यात्रा द्वीप पहाड़ समुद्र तारे सर्दी गर्मी स्मृति आवाज़ सपना पत्थर आग रास्ता पत्र साम्राज्य सदी क्रांति कविता भाषा पुस्तकालय'.split(
        ' ',
      ),
    surnames: 'शर्मा वर्मा गुप्ता सिंह कुमार पटेल मिश्रा जोशी'.split(' '),
    forenames: 'राहुल प्रिया अमित सुनीता विजय अनीता राज पूजा'.split(' '),
    publishers: ['राजकमल प्रकाशन', 'वाणी प्रकाशन', 'भारतीय ज्ञानपीठ'],
    places: ['नई दिल्ली', 'मुंबई', 'वाराणसी'],
  },
];

export const SUBJECTS = [
  'History',
  'Fiction',
  'Poetry',
  'Science',
  'Children',
  'Music',
  'Art',
  'Travel',
  'Biography',
  'Philosophy',
  'Religion',
  'Economics',
  'Politics',
  'Education',
  'Medicine',
  'Technology',
  'Mathematics',
  'Geography',
  'Law',
  'Cooking',
];
