; Inno Setup script for the Windows installer (Inno Setup 6.4 or later).
; Build the one-folder app first (make package, or the README's steps on Windows), then:
;   iscc /DAppVersion=0.1.0 packaging\csoffice.iss
; (AppVersion is csoffice.__version__; `python -c "import csoffice; print(csoffice.__version__)"`.)
; packaging/check_build.py checks that every file this script names is in the build.
; The file is UTF-8 with a byte-order mark, so every Inno Setup 6 reads the Chinese names right.
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
; The icon rendered from resources/icons/csoffice.svg (packaging/make_icons.py), as the programs carry it.
SetupIconFile=..\build\icons\csoffice.ico
Compression=lzma2
SolidCompression=yes
; Qt 6 runs on 64-bit Windows only.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Installs for the desk's user without administrator rights (into %LOCALAPPDATA%\Programs\csoffice).
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
; The records (database, scans, backups, settings) live in %LOCALAPPDATA%\csoffice\csoffice, never in
; the program folder: this script neither installs nor deletes anything there, so uninstalling or
; upgrading the program keeps every record.
UninstallDisplayIcon={app}\csoffice.exe

[Languages]
; Inno Setup 6.4 or later ships Chinese Simplified among its official languages (earlier: Languages\Unofficial).
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.CommandLine=csoffice 命令行
english.CommandLine=csoffice command line
chinesesimplified.CommandLineComment=csoffice 的控制台程序：检查、备份、恢复、导出和报表
english.CommandLineComment=The csoffice console program: check, back up, restore, export, reports

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\dist\csoffice\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\csoffice"; Filename: "{app}\csoffice.exe"
; The console program in a command prompt that stays open, with its help on screen and the program
; folder on PATH, so `csoffice-cli check` or `csoffice-cli backup --out D:\backup.sqlite3` can be
; typed there. cmd /K drops the outer quotes: set "PATH=…" && csoffice-cli --help.
Name: "{group}\{cm:CommandLine}"; Filename: "{cmd}"; Parameters: "/K ""set ""PATH={app};%PATH%"" && csoffice-cli.exe --help"""; WorkingDir: "{userdocs}"; IconFilename: "{app}\csoffice-cli.exe"; Comment: "{cm:CommandLineComment}"
Name: "{group}\{cm:UninstallProgram,csoffice}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\csoffice"; Filename: "{app}\csoffice.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\csoffice.exe"; Description: "{cm:LaunchProgram,csoffice}"; Flags: nowait postinstall skipifsilent
