namespace Catwalk.Web.Components.Deploy;

/// <summary>The wizard's steps, in order.</summary>
public enum WizardStep
{
    Repository,
    Analysis,
    Credentials,
    Deploy,
    Connect,
}
