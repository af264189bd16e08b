import type { Catalog } from '../../../platform/i18n/translate.js';

type Key =
  | 'holdReadySubject'
  | 'holdReadyBody'
  | 'pickupReminderSubject'
  | 'pickupReminderBody'
  | 'dueSoonSubject'
  | 'dueSoonBody'
  | 'overdueSubject'
  | 'overdueBody'
  | 'illSubject'
  | 'illBody'
  | 'ill_requested'
  | 'ill_approved'
  | 'ill_declined'
  | 'ill_shipped'
  | 'ill_received'
  | 'ill_on_loan'
  | 'ill_returned'
  | 'ill_shipped_back'
  | 'ill_completed'
  | 'ill_cancelled';

/** The e-mails circulation sends to patrons, in every shipped language. */
export const circulationMessages: Catalog<Key> = {
  en: {
    holdReadySubject: 'Your hold is ready: {{title}}',
    holdReadyBody:
      'Hello {{name}},\n\n"{{title}}" is waiting for you at {{branch}}. Please collect it by {{date}}; after that it goes to the next reader.\n\nYou can book a pickup time in your account.',
    pickupReminderSubject: 'Reminder: {{title}} is waiting for you',
    pickupReminderBody:
      'Hello {{name}},\n\n"{{title}}" is still waiting for you at {{branch}}. It will be kept until {{date}}.',
    dueSoonSubject: 'Due soon: {{title}}',
    dueSoonBody:
      'Hello {{name}},\n\n"{{title}}" is due back on {{date}}. You can renew it in your account if no one is waiting for it.',
    overdueSubject: 'Overdue: {{title}}',
    overdueBody:
      'Hello {{name}},\n\n"{{title}}" was due back on {{date}}. Please return or renew it as soon as you can.',
    illSubject: 'Inter-library loan: {{title}} — {{status}}',
    illBody:
      'Hello {{name}},\n\nYour inter-library loan request for "{{title}}" from {{library}} has a new status: {{status}}.{{reason}}',
    ill_requested: 'requested',
    ill_approved: 'approved by the lending library',
    ill_declined: 'declined by the lending library',
    ill_shipped: 'on its way',
    ill_received: 'arrived at your library',
    ill_on_loan: 'on loan to you',
    ill_returned: 'returned',
    ill_shipped_back: 'sent back to the lending library',
    ill_completed: 'completed',
    ill_cancelled: 'cancelled',
  },
  ru: {
    holdReadySubject: 'Ваш заказ готов: {{title}}',
    holdReadyBody:
      'Здравствуйте, {{name}}!\n\n«{{title}}» ждёт вас в {{branch}}. Заберите книгу до {{date}}, после этого она перейдёт следующему читателю.\n\nВремя получения можно забронировать в личном кабинете.',
    pickupReminderSubject: 'Напоминание: {{title}} ждёт вас',
    pickupReminderBody:
      'Здравствуйте, {{name}}!\n\n«{{title}}» всё ещё ждёт вас в {{branch}}. Мы сохраним её до {{date}}.',
    dueSoonSubject: 'Скоро срок возврата: {{title}}',
    dueSoonBody:
      'Здравствуйте, {{name}}!\n\n«{{title}}» нужно вернуть до {{date}}. Если книгу никто не ждёт, её можно продлить в личном кабинете.',
    overdueSubject: 'Просрочено: {{title}}',
    overdueBody:
      'Здравствуйте, {{name}}!\n\nСрок возврата «{{title}}» истёк {{date}}. Пожалуйста, верните или продлите её как можно скорее.',
    illSubject: 'Межбиблиотечный абонемент: {{title}} — {{status}}',
    illBody:
      'Здравствуйте, {{name}}!\n\nУ вашего заказа по МБА «{{title}}» из {{library}} новый статус: {{status}}.{{reason}}',
    ill_requested: 'заказ отправлен',
    ill_approved: 'одобрен библиотекой-фондодержателем',
    ill_declined: 'отклонён библиотекой-фондодержателем',
    ill_shipped: 'в пути',
    ill_received: 'поступил в вашу библиотеку',
    ill_on_loan: 'выдан вам',
    ill_returned: 'возвращён',
    ill_shipped_back: 'отправлен обратно',
    ill_completed: 'завершён',
    ill_cancelled: 'отменён',
  },
  zh: {
    holdReadySubject: '您的预约已可取书：{{title}}',
    holdReadyBody:
      '{{name}}，您好：\n\n《{{title}}》已在{{branch}}等您领取。请在{{date}}前取书，逾期将转给下一位读者。\n\n您可以在账户中预约取书时间。',
    pickupReminderSubject: '提醒：《{{title}}》等您领取',
    pickupReminderBody: '{{name}}，您好：\n\n《{{title}}》仍在{{branch}}等您领取，将保留至{{date}}。',
    dueSoonSubject: '即将到期：{{title}}',
    dueSoonBody: '{{name}}，您好：\n\n《{{title}}》应于{{date}}归还。如无人预约，您可以在账户中续借。',
    overdueSubject: '已逾期：{{title}}',
    overdueBody: '{{name}}，您好：\n\n《{{title}}》应于{{date}}归还，请尽快归还或续借。',
    illSubject: '馆际互借：{{title}} — {{status}}',
    illBody: '{{name}}，您好：\n\n您向{{library}}申请的馆际互借《{{title}}》状态更新为：{{status}}。{{reason}}',
    ill_requested: '已申请',
    ill_approved: '出借馆已批准',
    ill_declined: '出借馆已拒绝',
    ill_shipped: '运送中',
    ill_received: '已到达您的图书馆',
    ill_on_loan: '已借给您',
    ill_returned: '已归还',
    ill_shipped_back: '已寄回出借馆',
    ill_completed: '已完成',
    ill_cancelled: '已取消',
  },
  es: {
    holdReadySubject: 'Su reserva está lista: {{title}}',
    holdReadyBody:
      'Hola, {{name}}:\n\n«{{title}}» le espera en {{branch}}. Recójalo antes del {{date}}; después pasará al siguiente lector.\n\nPuede reservar una hora de recogida en su cuenta.',
    pickupReminderSubject: 'Recordatorio: {{title}} le espera',
    pickupReminderBody:
      'Hola, {{name}}:\n\n«{{title}}» sigue esperándole en {{branch}}. Lo guardaremos hasta el {{date}}.',
    dueSoonSubject: 'Vence pronto: {{title}}',
    dueSoonBody:
      'Hola, {{name}}:\n\n«{{title}}» debe devolverse el {{date}}. Puede renovarlo en su cuenta si nadie lo está esperando.',
    overdueSubject: 'Préstamo vencido: {{title}}',
    overdueBody:
      'Hola, {{name}}:\n\n«{{title}}» debía devolverse el {{date}}. Devuélvalo o renuévelo lo antes posible, por favor.',
    illSubject: 'Préstamo interbibliotecario: {{title}} — {{status}}',
    illBody:
      'Hola, {{name}}:\n\nSu solicitud de préstamo interbibliotecario de «{{title}}» a {{library}} tiene un nuevo estado: {{status}}.{{reason}}',
    ill_requested: 'solicitado',
    ill_approved: 'aprobado por la biblioteca prestataria',
    ill_declined: 'rechazado por la biblioteca prestataria',
    ill_shipped: 'en camino',
    ill_received: 'recibido en su biblioteca',
    ill_on_loan: 'prestado a usted',
    ill_returned: 'devuelto',
    ill_shipped_back: 'enviado de vuelta',
    ill_completed: 'completado',
    ill_cancelled: 'cancelado',
  },
  ar: {
    holdReadySubject: 'حجزك جاهز: {{title}}',
    holdReadyBody:
      'مرحبًا {{name}}،\n\n«{{title}}» بانتظارك في {{branch}}. يُرجى استلامه قبل {{date}}، وبعد ذلك ينتقل إلى القارئ التالي.\n\nيمكنك حجز موعد للاستلام من حسابك.',
    pickupReminderSubject: 'تذكير: {{title}} بانتظارك',
    pickupReminderBody: 'مرحبًا {{name}}،\n\nلا يزال «{{title}}» بانتظارك في {{branch}}، وسنحتفظ به حتى {{date}}.',
    dueSoonSubject: 'موعد الإرجاع قريب: {{title}}',
    dueSoonBody:
      'مرحبًا {{name}}،\n\nيجب إرجاع «{{title}}» في {{date}}. يمكنك تجديد الإعارة من حسابك إن لم يكن أحد في انتظاره.',
    overdueSubject: 'متأخر: {{title}}',
    overdueBody: 'مرحبًا {{name}}،\n\nكان موعد إرجاع «{{title}}» في {{date}}. يُرجى إرجاعه أو تجديده في أقرب وقت.',
    illSubject: 'الإعارة بين المكتبات: {{title}} — {{status}}',
    illBody:
      'مرحبًا {{name}}،\n\nطلبك للإعارة بين المكتبات لـ«{{title}}» من {{library}} أصبحت حالته: {{status}}.{{reason}}',
    ill_requested: 'تم الطلب',
    ill_approved: 'وافقت عليه المكتبة المُعيرة',
    ill_declined: 'رفضته المكتبة المُعيرة',
    ill_shipped: 'في الطريق',
    ill_received: 'وصل إلى مكتبتك',
    ill_on_loan: 'مُعار إليك',
    ill_returned: 'تمت إعادته',
    ill_shipped_back: 'أُعيد إرساله إلى المكتبة المُعيرة',
    ill_completed: 'اكتمل',
    ill_cancelled: 'أُلغي',
  },
  pt: {
    holdReadySubject: 'A sua reserva está pronta: {{title}}',
    holdReadyBody:
      'Olá, {{name}}:\n\n"{{title}}" está à sua espera em {{branch}}. Levante-o até {{date}}; depois disso passa para o próximo leitor.\n\nPode marcar um horário de levantamento na sua conta.',
    pickupReminderSubject: 'Lembrete: {{title}} está à sua espera',
    pickupReminderBody:
      'Olá, {{name}}:\n\n"{{title}}" continua à sua espera em {{branch}}. Fica guardado até {{date}}.',
    dueSoonSubject: 'Devolução próxima: {{title}}',
    dueSoonBody:
      'Olá, {{name}}:\n\n"{{title}}" deve ser devolvido em {{date}}. Pode renová-lo na sua conta se ninguém estiver à espera dele.',
    overdueSubject: 'Em atraso: {{title}}',
    overdueBody:
      'Olá, {{name}}:\n\n"{{title}}" devia ter sido devolvido em {{date}}. Devolva-o ou renove-o o quanto antes.',
    illSubject: 'Empréstimo interbibliotecas: {{title}} — {{status}}',
    illBody:
      'Olá, {{name}}:\n\nO seu pedido de empréstimo interbibliotecas de "{{title}}" a {{library}} tem um novo estado: {{status}}.{{reason}}',
    ill_requested: 'pedido',
    ill_approved: 'aprovado pela biblioteca que empresta',
    ill_declined: 'recusado pela biblioteca que empresta',
    ill_shipped: 'a caminho',
    ill_received: 'chegou à sua biblioteca',
    ill_on_loan: 'emprestado a si',
    ill_returned: 'devolvido',
    ill_shipped_back: 'reenviado à biblioteca que empresta',
    ill_completed: 'concluído',
    ill_cancelled: 'cancelado',
  },
  fr: {
    holdReadySubject: 'Votre réservation est disponible : {{title}}',
    holdReadyBody:
      'Bonjour {{name}},\n\n« {{title}} » vous attend à {{branch}}. Merci de le retirer avant le {{date}} ; ensuite il passera au lecteur suivant.\n\nVous pouvez réserver un créneau de retrait depuis votre compte.',
    pickupReminderSubject: 'Rappel : {{title}} vous attend',
    pickupReminderBody:
      'Bonjour {{name}},\n\n« {{title}} » vous attend toujours à {{branch}}. Il est conservé jusqu’au {{date}}.',
    dueSoonSubject: 'Retour bientôt : {{title}}',
    dueSoonBody:
      'Bonjour {{name}},\n\n« {{title}} » est à rendre le {{date}}. Vous pouvez le prolonger depuis votre compte si personne ne l’attend.',
    overdueSubject: 'En retard : {{title}}',
    overdueBody:
      'Bonjour {{name}},\n\n« {{title}} » était à rendre le {{date}}. Merci de le rendre ou de le prolonger dès que possible.',
    illSubject: 'Prêt entre bibliothèques : {{title}} — {{status}}',
    illBody:
      'Bonjour {{name}},\n\nVotre demande de prêt entre bibliothèques pour « {{title}} » auprès de {{library}} a un nouveau statut : {{status}}.{{reason}}',
    ill_requested: 'demandé',
    ill_approved: 'accepté par la bibliothèque prêteuse',
    ill_declined: 'refusé par la bibliothèque prêteuse',
    ill_shipped: 'en cours d’acheminement',
    ill_received: 'arrivé dans votre bibliothèque',
    ill_on_loan: 'prêté à vous',
    ill_returned: 'rendu',
    ill_shipped_back: 'renvoyé à la bibliothèque prêteuse',
    ill_completed: 'terminé',
    ill_cancelled: 'annulé',
  },
  hi: {
    holdReadySubject: 'आपका आरक्षण तैयार है: {{title}}',
    holdReadyBody:
      'नमस्ते {{name}},\n\n"{{title}}" {{branch}} में आपकी प्रतीक्षा कर रही है। कृपया इसे {{date}} तक ले जाएँ; उसके बाद यह अगले पाठक को दे दी जाएगी।\n\nआप अपने खाते में लेने का समय बुक कर सकते हैं।',
    pickupReminderSubject: 'अनुस्मारक: {{title}} आपकी प्रतीक्षा में है',
    pickupReminderBody:
      'नमस्ते {{name}},\n\n"{{title}}" अब भी {{branch}} में आपकी प्रतीक्षा कर रही है। इसे {{date}} तक रखा जाएगा।',
    dueSoonSubject: 'जल्द लौटानी है: {{title}}',
    dueSoonBody:
      'नमस्ते {{name}},\n\n"{{title}}" {{date}} को लौटानी है। यदि कोई इसकी प्रतीक्षा नहीं कर रहा, तो आप इसे अपने खाते में नवीनीकृत कर सकते हैं।',
    overdueSubject: 'समय सीमा पार: {{title}}',
    overdueBody: 'नमस्ते {{name}},\n\n"{{title}}" {{date}} को लौटानी थी। कृपया इसे जल्द से जल्द लौटाएँ या नवीनीकृत करें।',
    illSubject: 'अंतर-पुस्तकालय ऋण: {{title}} — {{status}}',
    illBody:
      'नमस्ते {{name}},\n\n{{library}} से "{{title}}" के लिए आपके अंतर-पुस्तकालय ऋण अनुरोध की नई स्थिति: {{status}}।{{reason}}',
    ill_requested: 'अनुरोध किया गया',
    ill_approved: 'ऋणदाता पुस्तकालय ने स्वीकृत किया',
    ill_declined: 'ऋणदाता पुस्तकालय ने अस्वीकार किया',
    ill_shipped: 'रास्ते में',
    ill_received: 'आपके पुस्तकालय में पहुँच गई',
    ill_on_loan: 'आपको दी गई',
    ill_returned: 'लौटा दी गई',
    ill_shipped_back: 'ऋणदाता पुस्तकालय को वापस भेजी गई',
    ill_completed: 'पूर्ण',
    ill_cancelled: 'रद्द',
  },
};

/** The reason line appended to an ILL status e-mail ("Reason: …"), per language. */
export const reasonPrefix: Record<keyof typeof circulationMessages, string> = {
  en: '\n\nReason: ',
  ru: '\n\nПричина: ',
  zh: '\n\n原因：',
  es: '\n\nMotivo: ',
  ar: '\n\nالسبب: ',
  pt: '\n\nMotivo: ',
  fr: '\n\nMotif : ',
  hi: '\n\nकारण: ',
};
