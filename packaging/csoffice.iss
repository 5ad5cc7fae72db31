; Inno Setup script for the Windows installer.
; Build the one-folder app first (make package, or pyinstaller packaging\csoffice.spec on Windows), then:
;   iscc /DAppVersion=0.1.0 packaging\csoffice.iss
; (AppVersion is csoffice.__version__; `python -c "import csoffice; print(csoffice.__version__)"`.)
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6C3B1E2A-5B7D-4C1E-9F3A-1B2C3D4E5F60}
AppName=csoffice
AppVersion={#AppVersion}
AppPublisher=csoffice
DefaultDirName={autopf}\csoffice
DefaultGroupName=csoffice
OutputBaseFilename=csoffice-{#AppVersion}-setup
OutputDir=..\dist
SetupIconFile=..\build\icons\csoffice.ico
Compression=lzma2
SolidCompression=yes
PrivilegesRequired=lowest
; The database, attachments and backups live in the user's data folder, never in the program folder,
; so uninstalling or upgrading the program keeps every record.
UninstallDisplayIcon={app}\csoffice.exe

[Languages]
; Inno Setup 6.4 or later ships Chinese Simplified among its official languages (earlier: Languages\Unofficial).
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\dist\csoffice\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\csoffice"; Filename: "{app}\csoffice.exe"
Name: "{group}\{cm:UninstallProgram,csoffice}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\csoffice"; Filename: "{app}\csoffice.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\csoffice.exe"; Description: "{cm:LaunchProgram,csoffice}"; Flags: nowait postinstall skipifsilent
