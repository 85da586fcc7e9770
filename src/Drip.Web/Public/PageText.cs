namespace Drip.Web.Public;

/// <summary>
/// The words of the public pages in each language Drip speaks to subscribers: the subscriber's own locale
/// first, then the browser's, then English.
/// </summary>
internal sealed record PageText(
    string Lang, string UnsubscribeTitle, string UnsubscribeQuestion, string ReasonLabel, string ReasonPlaceholder, string UnsubscribeButton,
    string OrTitle, string FewerButton, string UsualButton, string PauseButton, string ProgramsTitle, string ProgramsButton,
    string DoneTitle, string DoneBody, string ResubscribeButton, string BackTitle, string BackBody, string SavedTitle, string FewerSaved,
    string UsualSaved, string PausedSaved, string ProgramsSaved, string InvalidTitle, string InvalidBody, string CannotResubscribe,
    string ConfirmTitle, string ConfirmBody, string ConfirmExpired, string StayTitle, string StayBody, string SubscribeTitle,
    string SubscribeIntro, string EmailLabel, string NameLabel, string SubscribeButton, string CheckInboxTitle, string CheckInboxBody,
    string BadEmail, string StayButton)
{
    public static readonly PageText English = new(
        "en", "Unsubscribe?", "Stop all letters to {0}?", "Why are you leaving? (optional)", "Too many letters, not relevant…", "Unsubscribe from everything",
        "Or change what you get", "Fewer letters (at most one a week)", "The usual number of letters", "Pause for 30 days", "Letters you receive", "Save my choice",
        "You are unsubscribed", "{0} will receive no more letters from us. Sorry to see you go.", "Resubscribe", "Welcome back", "{0} is subscribed again.",
        "Saved", "From now on you get at most one letter a week.", "You get the usual letters again.", "No letters until {0}; then we pick up where we left off.",
        "Your choice of letters is saved.", "This link does not work",
        "The link is incomplete or was changed. Use the link from the letter exactly as it is, or reply to the letter with the word UNSUBSCRIBE.",
        "This address cannot be resubscribed from here. Sign up again through the form on our site.",
        "Subscription confirmed", "Thank you: {0} is on the list.", "This confirmation link has expired. Sign up again, please.",
        "Thank you", "You stay on the list for {0}.", "Subscribe", "Letters from us, at most a few a week. Leave any time with one click.", "Email", "First name (optional)",
        "Subscribe", "Check your inbox", "We sent a confirmation link to {0}. Click it to finish signing up.", "That email address does not look right: {0}", "Yes, keep me on the list");

    public static readonly PageText Russian = new(
        "ru", "Отписаться?", "Больше не присылать писем на {0}?", "Почему вы уходите? (необязательно)", "Слишком часто, неинтересно…", "Отписаться от всех писем",
        "Или измените рассылку", "Реже (не больше одного письма в неделю)", "Как обычно", "Пауза на 30 дней", "Какие письма получать", "Сохранить",
        "Вы отписаны", "На {0} больше не придёт ни одного письма. Жаль, что вы уходите.", "Подписаться снова", "С возвращением", "{0} снова подписан.",
        "Сохранено", "Теперь — не больше одного письма в неделю.", "Письма снова приходят как обычно.", "Писем не будет до {0}, потом продолжим с того же места.",
        "Ваш выбор сохранён.", "Ссылка не работает",
        "Ссылка неполная или изменена. Откройте ссылку из письма как есть или ответьте на письмо словом ОТПИСАТЬСЯ.",
        "Этот адрес нельзя подписать отсюда. Подпишитесь заново через форму на сайте.",
        "Подписка подтверждена", "Спасибо: {0} в списке.", "Срок действия ссылки истёк. Подпишитесь, пожалуйста, ещё раз.",
        "Спасибо", "{0} остаётся в списке.", "Подписка", "Письма от нас — не чаще нескольких в неделю. Отписаться можно в один клик.", "Email", "Имя (необязательно)",
        "Подписаться", "Проверьте почту", "Мы отправили ссылку для подтверждения на {0}. Нажмите её, чтобы завершить подписку.", "Адрес выглядит неверно: {0}", "Да, оставьте меня в списке");

    /// <summary>The subscriber's locale wins; without one, the browser's first language Drip knows; else English.</summary>
    public static PageText For(string? locale, HttpRequest request)
    {
        if (locale is { Length: >= 2 })
        {
            return locale.StartsWith("ru", StringComparison.OrdinalIgnoreCase) ? Russian : English;
        }
        foreach (var language in request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1))
        {
            var tag = language.Value.Value ?? "";
            if (tag.StartsWith("ru", StringComparison.OrdinalIgnoreCase))
            {
                return Russian;
            }
            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase))
            {
                return English;
            }
        }
        return English;
    }
}
