import type { Catalog } from '../../platform/i18n/translate.js';

type Key = 'verifySubject' | 'verifyBody' | 'resetSubject' | 'resetBody';

/** The e-mails this module sends, in every shipped language. */
export const accountsMessages: Catalog<Key> = {
  en: {
    verifySubject: 'Confirm your e-mail address for Athenaeum',
    verifyBody:
      'Hello {{name}},\n\nPlease confirm your e-mail address by opening this link:\n{{link}}\n\nThe link is valid for 48 hours. If you did not sign up, ignore this message.',
    resetSubject: 'Reset your Athenaeum password',
    resetBody:
      'Hello {{name}},\n\nTo choose a new password, open this link:\n{{link}}\n\nThe link is valid for 1 hour. If you did not ask for this, ignore this message; your password stays as it is.',
  },
  ru: {
    verifySubject: 'Подтвердите адрес электронной почты для Athenaeum',
    verifyBody:
      'Здравствуйте, {{name}}!\n\nПодтвердите адрес электронной почты, открыв ссылку:\n{{link}}\n\nСсылка действует 48 часов. Если вы не регистрировались, просто проигнорируйте это письмо.',
    resetSubject: 'Сброс пароля Athenaeum',
    resetBody:
      'Здравствуйте, {{name}}!\n\nЧтобы задать новый пароль, откройте ссылку:\n{{link}}\n\nСсылка действует 1 час. Если вы не запрашивали сброс, проигнорируйте письмо — пароль останется прежним.',
  },
  zh: {
    verifySubject: '请确认您在 Athenaeum 的电子邮件地址',
    verifyBody:
      '{{name}}，您好：\n\n请打开以下链接确认您的电子邮件地址：\n{{link}}\n\n该链接 48 小时内有效。如果您没有注册，请忽略此邮件。',
    resetSubject: '重置您的 Athenaeum 密码',
    resetBody:
      '{{name}}，您好：\n\n请打开以下链接设置新密码：\n{{link}}\n\n该链接 1 小时内有效。如果您没有提出此请求，请忽略此邮件，您的密码不会改变。',
  },
  es: {
    verifySubject: 'Confirme su dirección de correo para Athenaeum',
    verifyBody:
      'Hola, {{name}}:\n\nConfirme su dirección de correo abriendo este enlace:\n{{link}}\n\nEl enlace es válido durante 48 horas. Si no se registró, ignore este mensaje.',
    resetSubject: 'Restablezca su contraseña de Athenaeum',
    resetBody:
      'Hola, {{name}}:\n\nPara elegir una contraseña nueva, abra este enlace:\n{{link}}\n\nEl enlace es válido durante 1 hora. Si no lo solicitó, ignore este mensaje; su contraseña no cambia.',
  },
  ar: {
    verifySubject: 'أكِّد عنوان بريدك الإلكتروني في Athenaeum',
    verifyBody:
      'مرحبًا {{name}}،\n\nيُرجى تأكيد عنوان بريدك الإلكتروني بفتح هذا الرابط:\n{{link}}\n\nالرابط صالح لمدة 48 ساعة. إذا لم تقم بالتسجيل، فتجاهل هذه الرسالة.',
    resetSubject: 'إعادة تعيين كلمة مرور Athenaeum',
    resetBody:
      'مرحبًا {{name}}،\n\nلاختيار كلمة مرور جديدة، افتح هذا الرابط:\n{{link}}\n\nالرابط صالح لمدة ساعة واحدة. إذا لم تطلب ذلك، فتجاهل هذه الرسالة وستبقى كلمة مرورك كما هي.',
  },
  pt: {
    verifySubject: 'Confirme o seu endereço de e-mail no Athenaeum',
    verifyBody:
      'Olá, {{name}}:\n\nConfirme o seu endereço de e-mail abrindo este link:\n{{link}}\n\nO link é válido por 48 horas. Se não se cadastrou, ignore esta mensagem.',
    resetSubject: 'Redefina a sua senha do Athenaeum',
    resetBody:
      'Olá, {{name}}:\n\nPara escolher uma nova senha, abra este link:\n{{link}}\n\nO link é válido por 1 hora. Se não pediu isto, ignore esta mensagem; a sua senha continua a mesma.',
  },
  fr: {
    verifySubject: 'Confirmez votre adresse e-mail pour Athenaeum',
    verifyBody:
      'Bonjour {{name}},\n\nVeuillez confirmer votre adresse e-mail en ouvrant ce lien :\n{{link}}\n\nLe lien est valable 48 heures. Si vous ne vous êtes pas inscrit, ignorez ce message.',
    resetSubject: 'Réinitialisez votre mot de passe Athenaeum',
    resetBody:
      'Bonjour {{name}},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien :\n{{link}}\n\nLe lien est valable 1 heure. Si vous n’avez rien demandé, ignorez ce message ; votre mot de passe reste inchangé.',
  },
  hi: {
    verifySubject: 'Athenaeum के लिए अपना ई-मेल पता पुष्टि करें',
    verifyBody:
      'नमस्ते {{name}},\n\nकृपया यह लिंक खोलकर अपना ई-मेल पता पुष्टि करें:\n{{link}}\n\nयह लिंक 48 घंटे तक मान्य है। यदि आपने पंजीकरण नहीं किया है, तो इस संदेश को अनदेखा करें।',
    resetSubject: 'अपना Athenaeum पासवर्ड रीसेट करें',
    resetBody:
      'नमस्ते {{name}},\n\nनया पासवर्ड चुनने के लिए यह लिंक खोलें:\n{{link}}\n\nयह लिंक 1 घंटे तक मान्य है। यदि आपने यह अनुरोध नहीं किया है, तो इस संदेश को अनदेखा करें; आपका पासवर्ड वैसा ही रहेगा।',
  },
};
