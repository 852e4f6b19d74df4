using System.ComponentModel.DataAnnotations;

namespace Catwalk.Web.Components.Account;

/// <summary>
/// Field messages for the static account forms: MudBlazor inputs do not read an EditContext without
/// interactivity, so pages validate the posted model here and pass each field its message.
/// </summary>
public sealed class FormErrors
{
    private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

    public bool Any => _byField.Count > 0;

    public bool Has(string field) => _byField.ContainsKey(field);

    public string? For(string field) => _byField.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    public void Add(string field, string message)
    {
        if (!_byField.TryGetValue(field, out var messages))
        {
            _byField[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>Runs the model's data annotations; true when it is valid.</summary>
    public bool Validate(object model)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(model, new ValidationContext(model), results, validateAllProperties: true);
        foreach (var result in results)
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty(""))
            {
                Add(member, result.ErrorMessage ?? "This value is not valid.");
            }
        }

        return results.Count == 0;
    }
}
