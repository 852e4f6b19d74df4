namespace Catwalk.Core.Credentials;

/// <summary>
/// The XML element that holds a data protection key's Fernet token inside its <c>encryptedSecret</c>: written by the
/// web app's key encryptor, re-encrypted in place by <see cref="StoredSecretKeyRotation"/>.
/// </summary>
public static class DataProtectionFernetElement
{
    public const string Name = "fernet";
}
