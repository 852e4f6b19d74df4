using System.Xml.Linq;
using Catwalk.Core.Credentials;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace Catwalk.Web.Accounts;

/// <summary>
/// The data protection keys (which sign cookies and antiforgery tokens) sit in the database; they are encrypted
/// there under <c>ENCRYPTION_KEY</c>, so a copy of the database alone cannot forge a sign-in.
/// </summary>
internal static class DataProtectionKeyEncryption
{
    public static IServiceCollection AddDataProtectionKeyEncryption(this IServiceCollection services)
    {
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(
            options => options.XmlEncryptor = new FernetXmlEncryptor(sp.GetRequiredService<ISecretProtector>())));
        return services;
    }

    private sealed class FernetXmlEncryptor(ISecretProtector protector) : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
            new(new XElement(DataProtectionFernetElement.Name, protector.Protect(plaintextElement.ToString(SaveOptions.DisableFormatting))),
                typeof(FernetXmlDecryptor));
    }

    /// <summary>Created by data protection's activator, which passes the service provider.</summary>
    internal sealed class FernetXmlDecryptor(IServiceProvider services) : IXmlDecryptor
    {
        public XElement Decrypt(XElement encryptedElement) =>
            XElement.Parse(services.GetRequiredService<ISecretProtector>().Unprotect(encryptedElement.Value));
    }
}
