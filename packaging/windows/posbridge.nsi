; posbridge Windows installer (NSIS 3). Built on Linux by scripts/dist.sh:
;   makensis -DARCH=amd64|386 -DVERSION=1.2.3 -DVIVERSION=1.2.3.0 -DBIN=posbridge.exe
;            -DDEFAULT_CONFIG=… -DOUTFILE=… packaging/windows/posbridge.nsi
; One installer per architecture: the 64-bit one is itself 64-bit, so that CI
; can run it under a 64-bit-only Wine. Installs to Program Files, keeps config, data and logs in
; %ProgramData%\posbridge (never overwritten, kept on uninstall), and lets
; `posbridge service install` register the service so that every installer
; yields the same service (recovery actions, event log source).

Unicode true
!if "${ARCH}" == "amd64"
    Target amd64-unicode
!else if "${ARCH}" == "386"
    Target x86-unicode
!else
    !error "define ARCH as amd64 or 386"
!endif
SetCompressor /SOLID lzma
RequestExecutionLevel admin
ManifestSupportedOS all

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "WinVer.nsh"
!include "x64.nsh"

!define PRODUCT "posbridge"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\posbridge"
!define CONSOLE_URL "http://127.0.0.1:8686"

Name "${PRODUCT} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\posbridge"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VIVERSION}"
VIAddVersionKey /LANG=2052 "ProductName" "posbridge"
VIAddVersionKey /LANG=2052 "FileDescription" "posbridge 安装程序（开个店接单打印）"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "posbridge authors"

!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "打开 posbridge 控制台"
!define MUI_FINISHPAGE_RUN_FUNCTION OpenConsole
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Var DataDir

Function .onInit
    ; Current Go runs on Windows 10 and later only: say so instead of failing later.
    ${IfNot} ${AtLeastWin10}
        MessageBox MB_OK|MB_ICONSTOP "posbridge 需要 Windows 10 或更高版本，本机的 Windows 版本过旧，无法安装。$\r$\nposbridge needs Windows 10 or later; this Windows is too old." /SD IDOK
        SetErrorLevel 3
        Quit
    ${EndIf}
!if "${ARCH}" == "amd64"
    SetRegView 64
    StrCpy $INSTDIR "$PROGRAMFILES64\posbridge"
!else
    ${If} ${RunningX64}
        SetRegView 64
    ${EndIf}
    StrCpy $INSTDIR "$PROGRAMFILES\posbridge"
!endif
FunctionEnd

Function un.onInit
    ${If} ${RunningX64}
        SetRegView 64
    ${EndIf}
FunctionEnd

Function OpenConsole
    ExecShell "open" "${CONSOLE_URL}"
FunctionEnd

; RunPosbridge runs posbridge.exe with the arguments on the stack and leaves
; its exit code in $0 (output goes to the details list).
!macro RunPosbridge ARGS
    DetailPrint "posbridge ${ARGS}"
    nsExec::ExecToLog '"$INSTDIR\posbridge.exe" ${ARGS}'
    Pop $0
!macroend

Section "posbridge" SecMain
    SetShellVarContext all
    StrCpy $DataDir "$APPDATA\posbridge"

    ; An upgrade: stop the running service before replacing its binary.
    ${If} ${FileExists} "$INSTDIR\posbridge.exe"
        !insertmacro RunPosbridge "service stop"
    ${EndIf}

    SetOutPath "$INSTDIR"
    File "/oname=posbridge.exe" "${BIN}"
    WriteUninstaller "$INSTDIR\uninstall.exe"

    ; The default config is written once; an installer's edits are never replaced.
    CreateDirectory "$DataDir"
    CreateDirectory "$DataDir\data"
    CreateDirectory "$DataDir\logs"
    ${IfNot} ${FileExists} "$DataDir\posbridge.yaml"
        SetOutPath "$DataDir"
        File "/oname=posbridge.yaml" "${DEFAULT_CONFIG}"
        DetailPrint "已写入默认配置 $DataDir\posbridge.yaml"
    ${Else}
        DetailPrint "保留现有配置 $DataDir\posbridge.yaml"
    ${EndIf}
    SetOutPath "$INSTDIR"

    !insertmacro RunPosbridge "service install"
    ${If} $0 != 0
        MessageBox MB_OK|MB_ICONSTOP "注册 Windows 服务失败（代码 $0），请查看安装详情。$\r$\nRegistering the service failed (code $0); see the details." /SD IDOK
        SetErrorLevel 4
        Abort
    ${EndIf}
    !insertmacro RunPosbridge "service start"
    ${If} $0 != 0
        DetailPrint "服务未能启动：编辑 $DataDir\posbridge.yaml 后运行 posbridge doctor 查看原因"
    ${EndIf}

    CreateDirectory "$SMPROGRAMS\posbridge"
    WriteINIStr "$SMPROGRAMS\posbridge\posbridge 控制台.url" "InternetShortcut" "URL" "${CONSOLE_URL}"
    CreateShortcut "$SMPROGRAMS\posbridge\posbridge 诊断.lnk" "$SYSDIR\cmd.exe" '/k ""$INSTDIR\posbridge.exe" doctor"'
    CreateShortcut "$SMPROGRAMS\posbridge\posbridge 配置与数据.lnk" "$DataDir"
    CreateShortcut "$SMPROGRAMS\posbridge\卸载 posbridge.lnk" "$INSTDIR\uninstall.exe"

    WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "posbridge（开个店接单打印）"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "posbridge"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\posbridge.exe"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
    WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
    WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
    WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
    SetShellVarContext all
    !insertmacro RunPosbridge "service stop"
    !insertmacro RunPosbridge "service uninstall"

    Delete "$INSTDIR\posbridge.exe"
    Delete "$INSTDIR\uninstall.exe"
    RMDir "$INSTDIR"
    RMDir /r "$SMPROGRAMS\posbridge"
    DeleteRegKey HKLM "${UNINSTALL_KEY}"
    DetailPrint "配置、数据和日志保留在 $APPDATA\posbridge"
SectionEnd
